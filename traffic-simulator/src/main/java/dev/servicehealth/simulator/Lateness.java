package dev.servicehealth.simulator;

import java.time.Duration;

/**
 * How late a logical request event is emitted, decided when it is generated from its emission delay
 * (emission time minus event time). The classes leave a clear gap around the pipeline's 10-minute
 * lateness bound, so a correct aggregator classifies every event the same way whatever its
 * watermark details: nothing is emitted between {@link #MAX_WITHIN_BOUND} and {@link
 * #MIN_BEYOND_BOUND} late.
 */
public enum Lateness {
    /** Delayed by normal shipping jitter only (at most the configured jitter, ≤ 1 minute). */
    ON_TIME,
    /** Held back by a stalled log forwarder, at most 8 minutes: must still be counted. */
    LATE_WITHIN_BOUND,
    /** At least 13 minutes late: must go to the late side output, not into the aggregates. */
    BEYOND_BOUND;

    public static final Duration MAX_WITHIN_BOUND = Duration.ofMinutes(8);
    public static final Duration MIN_BEYOND_BOUND = Duration.ofMinutes(13);
    public static final Duration MAX_BEYOND_BOUND = Duration.ofMinutes(30);

    static Lateness ofDelay(long delayMs, long maxJitterMs) {
        if (delayMs < 0) {
            throw new IllegalStateException("emitted before it happened: delay " + delayMs);
        }
        if (delayMs <= maxJitterMs) {
            return ON_TIME;
        }
        if (delayMs <= MAX_WITHIN_BOUND.toMillis()) {
            return LATE_WITHIN_BOUND;
        }
        if (delayMs >= MIN_BEYOND_BOUND.toMillis()) {
            return BEYOND_BOUND;
        }
        throw new IllegalStateException("delay " + delayMs + " ms falls into the gap 8..13 min");
    }
}
