package dev.servicehealth.model;

import java.time.Duration;

/** The event-time contract of the pipeline, shared by the jobs that depend on it. */
public final class EventTimePolicy {
    /** KPI windows are one minute of event time. */
    public static final Duration WINDOW = Duration.ofMinutes(1);

    /** A late event still updates its window until the watermark passes window end + this. */
    public static final Duration ALLOWED_LATENESS = Duration.ofMinutes(10);

    private EventTimePolicy() {}
}
