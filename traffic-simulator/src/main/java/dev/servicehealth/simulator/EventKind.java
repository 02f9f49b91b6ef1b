package dev.servicehealth.simulator;

/** The kinds of canonical events the normalizer produces from raw records. */
public enum EventKind {
    /** A gateway request or an auth operation ({@code RequestEvent}). */
    REQUEST,
    /** One Prometheus sample ({@code MetricSample}). */
    METRIC_SAMPLE,
    /** A deploy, feature-flag change or incident ({@code StatusEvent}). */
    STATUS
}
