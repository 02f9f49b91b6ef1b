package dev.servicehealth.simulator;

import java.util.function.BooleanSupplier;

/**
 * Holds records back until their turn in wall-clock time: the first timestamp seen is sent at once,
 * a later one {@code (timestamp - first) / speed} after it. Records whose turn has passed (a slow
 * sink, out-of-order timestamps) go at once; the pacer never speeds up to catch up beyond that.
 */
final class Pacer {
    /** Sleep in short slices so that a stop request is honoured quickly. */
    private static final long MAX_SLEEP_MS = 200;

    private final Pacing pacing;
    private final BooleanSupplier stopRequested;
    private long firstTimestampMs;
    private long firstWallNanos;
    private boolean started;

    Pacer(Pacing pacing, BooleanSupplier stopRequested) {
        this.pacing = pacing;
        this.stopRequested = stopRequested;
    }

    /**
     * Starts the clock at {@code timestampMs} now, instead of at the first awaited timestamp; a
     * real-time run uses this to pace from its configured start.
     */
    void startAt(long timestampMs) {
        firstTimestampMs = timestampMs;
        firstWallNanos = System.nanoTime();
        started = true;
    }

    /**
     * Waits until the record's turn.
     *
     * @return false if a stop was requested while waiting
     */
    boolean await(long timestampMs) throws InterruptedException {
        if (!pacing.paced()) {
            return !stopRequested.getAsBoolean();
        }
        if (!started) {
            startAt(timestampMs);
        }
        long dueNanos =
                firstWallNanos
                        + (long) ((timestampMs - firstTimestampMs) * 1_000_000 / pacing.speed());
        while (true) {
            if (stopRequested.getAsBoolean()) {
                return false;
            }
            long waitNanos = dueNanos - System.nanoTime();
            if (waitNanos <= 0) {
                return true;
            }
            Thread.sleep(Math.min(MAX_SLEEP_MS, Math.max(1, waitNanos / 1_000_000)));
        }
    }
}
