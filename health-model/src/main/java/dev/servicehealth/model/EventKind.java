package dev.servicehealth.model;

import java.util.Locale;

/** The kinds of canonical events, one normalized (and one deduplicated) topic each. */
public enum EventKind {
    /** A gateway request or an auth operation ({@link RequestEvent}). */
    REQUEST,
    /** One Prometheus sample ({@link MetricSample}). */
    METRIC_SAMPLE,
    /** A deploy, feature-flag change or incident ({@link StatusEvent}). */
    STATUS;

    /** The value of a {@code kind} meter tag. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
