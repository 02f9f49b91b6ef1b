package dev.servicehealth.pager;

import dev.servicehealth.model.catalog.BurnRateRule;
import java.time.Duration;

/**
 * Everything the pager keeps for one objective in one scope: ten-second buckets for the last hour
 * (the fast and hourly pairs), five-minute buckets for the longest window (the others), the open
 * alert of each severity and the timers that end a silence or the state itself.
 *
 * <p>A Flink POJO (public fields, no-argument constructor), about 23 KB serialized.
 */
public final class ScopeBurnState {
    static final long FINE_BUCKET_MS = Duration.ofSeconds(10).toMillis();
    static final long COARSE_BUCKET_MS = Duration.ofMinutes(5).toMillis();
    private static final int FINE_BUCKETS = (int) (Duration.ofHours(1).toMillis() / FINE_BUCKET_MS);
    private static final int COARSE_BUCKETS =
            (int) (BurnRateRule.LONGEST_WINDOW.toMillis() / COARSE_BUCKET_MS);

    public BucketRing fine;
    public BucketRing coarse;
    public long newestEventMs = Long.MIN_VALUE;

    /** Processing time of the last count, for the silence check. */
    public long lastArrivalMs;

    /** The pending processing-time timer of the silence check, 0 if none. */
    public long silenceTimerMs;

    /** The one pending event-time timer that may expire the state, 0 if none. */
    public long expiryTimerMs;

    /**
     * Per severity (by ordinal), when the open alert's burn began, 0 if no alert is open; and the
     * pair that tripped it.
     */
    public long[] openSinceMs;

    public String[] openPair;

    /** Per severity, the event time its last alert resolved, 0 if none did. */
    public long[] resolvedAtMs;

    /** Per severity, the ten-second bucket of the open alert's last report. */
    public long[] reportedBucket;

    /** Per severity, the event time at which one of its pairs last tripped. */
    public long[] trippedAtMs;

    /** Per severity, the event time the open alert fired at. */
    public long[] firedAtMs;

    /** The event time the burn rates were last evaluated as of. */
    public long evaluatedAtMs = Long.MIN_VALUE;

    /** The pending event-time timer of an evaluation while catching up, 0 if none. */
    public long catchUpTimerMs;

    public boolean dataMissing;

    public ScopeBurnState() {}

    static ScopeBurnState empty() {
        ScopeBurnState state = new ScopeBurnState();
        // one bucket more than the longest window each serves: the one filling
        state.fine = BucketRing.of(FINE_BUCKET_MS, FINE_BUCKETS + 1, true);
        state.coarse = BucketRing.of(COARSE_BUCKET_MS, COARSE_BUCKETS + 1, false);
        int severities = BurnRateRule.Severity.values().length;
        state.openSinceMs = new long[severities];
        state.openPair = new String[severities];
        state.resolvedAtMs = new long[severities];
        state.reportedBucket = new long[severities];
        state.trippedAtMs = new long[severities];
        state.firedAtMs = new long[severities];
        return state;
    }

    /** Adds a count to its buckets; false if it is older than the longest window. */
    boolean add(SloCount count) {
        boolean inCoarse =
                coarse.add(count.eventTimeMs(), count.bad(), count.total(), count.firstBadMs());
        if (!inCoarse) {
            return false;
        }
        fine.add(count.eventTimeMs(), count.bad(), count.total(), count.firstBadMs());
        newestEventMs = Math.max(newestEventMs, count.eventTimeMs());
        return true;
    }

    /**
     * The trailing window of this length ending at {@code atMs}, from the finest ring covering it:
     * that many whole buckets and the filling one, so a window never holds less than its length (a
     * short window is never a bucket just begun) and at most one bucket more.
     */
    BucketRing.Window window(Duration length, long atMs) {
        BucketRing ring = ringFor(length);
        return ring.window(buckets(ring, length), Math.floorDiv(atMs, ring.bucketMs));
    }

    /**
     * See {@link BucketRing#burnStartMs}, for the window ending at {@code atMs}. A burn found in
     * five-minute buckets the last hour still holds is narrowed to its run of ten-second buckets.
     */
    long burnStartMs(Duration length, double threshold, long notBeforeMs, long atMs) {
        BucketRing ring = ringFor(length);
        long start =
                ring.burnStartMs(
                        buckets(ring, length),
                        threshold,
                        notBeforeMs,
                        Math.floorDiv(atMs, ring.bucketMs));
        long fineOldest = (fine.newest - fine.bad.length + 1) * fine.bucketMs;
        if (ring == coarse && start != Long.MAX_VALUE && start >= fineOldest) {
            long end = Math.floorDiv(atMs, fine.bucketMs);
            int buckets = (int) (end - Math.floorDiv(start, fine.bucketMs) + 1);
            long narrowed = fine.burnStartMs(buckets, threshold, start, end);
            if (narrowed != Long.MAX_VALUE) {
                return narrowed;
            }
        }
        return start;
    }

    /** Events of the last hour: how busy the scope is. */
    long eventsOfLastHour() {
        return fine.window(FINE_BUCKETS).total();
    }

    private BucketRing ringFor(Duration length) {
        return length.toMillis() <= fine.span() ? fine : coarse;
    }

    private static int buckets(BucketRing ring, Duration length) {
        return (int) (length.toMillis() / ring.bucketMs) + 1;
    }
}
