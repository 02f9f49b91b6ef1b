package dev.servicehealth.simulator;

/** How much ground truth a run keeps. */
public enum GroundTruthDetail {
    /**
     * Counts only (records, expected events, dead letters, lateness, duplicates): constant memory,
     * for long or real-time runs.
     */
    COUNTS,
    /**
     * Counts plus every distinct logical request and the KPI oracle: memory grows with the run, for
     * tests.
     */
    FULL
}
