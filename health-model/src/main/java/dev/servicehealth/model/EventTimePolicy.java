package dev.servicehealth.model;

import java.time.Duration;

/** The event-time contract of the pipeline, shared by the jobs that depend on it. */
public final class EventTimePolicy {
    /** KPI windows are one minute of event time. */
    public static final Duration WINDOW = Duration.ofMinutes(1);

    /**
     * A late event still updates its window unless its clock had passed window end + this when it
     * was read ({@link #isTooLate}); the window is final once the watermark passes the same.
     */
    public static final Duration ALLOWED_LATENESS = Duration.ofMinutes(10);

    private static final long WINDOW_MS = WINDOW.toMillis();

    private EventTimePolicy() {}

    /** The last millisecond of the window an event of this time belongs to. */
    private static long lastMillisecondOfWindow(long eventTimeMs) {
        return Math.floorDiv(eventTimeMs, WINDOW_MS) * WINDOW_MS + WINDOW_MS - 1;
    }

    /**
     * Whether an event came too late for its window: its clock (the watermark of its raw partition
     * when it was read, decision 0009) had passed the window's end plus the lateness. The same
     * rule, applied to the same clock, in every job, so the answer never depends on how fast a job
     * read.
     */
    public static boolean isTooLate(long eventTimeMs, long clockMs, long allowedLatenessMs) {
        return clockMs >= lastMillisecondOfWindow(eventTimeMs) + allowedLatenessMs;
    }
}
