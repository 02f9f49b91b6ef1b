package dev.servicehealth.aggregator.kpi;

/** Why a KPI row was emitted; every firing of a key carries a higher version than the last. */
public enum Firing {
    /** The window is still open: its current value, every few seconds, for freshness. */
    EARLY,
    /** The watermark passed the window's end. */
    ON_TIME,
    /** Late events within the lateness bound changed a closed window. */
    LATE,
    /** The lateness bound passed: the window's last value, also written to the history topic. */
    FINAL
}
