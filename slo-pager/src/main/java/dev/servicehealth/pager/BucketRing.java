package dev.servicehealth.pager;

import java.util.Arrays;

/**
 * Bad and total events of one scope per bucket of event time, for the last {@code size} buckets up
 * to the newest: the sums of any trailing window of whole buckets, the current (still filling)
 * bucket included, so a window answers as soon as an event arrives, not when its bucket closes.
 * Buckets older than the ring are gone; an event for one of them is refused.
 *
 * <p>A Flink POJO (public fields, no-argument constructor) so that the state serializer is Flink's
 * own, not Kryo.
 */
public final class BucketRing {
    /** Unset {@link #newest}: the ring holds nothing yet. */
    static final long EMPTY = Long.MIN_VALUE;

    public long bucketMs;
    public long newest = EMPTY;
    public long[] bad;
    public long[] total;

    /**
     * Per bucket the event time of its earliest bad event, {@link Long#MAX_VALUE} if none; empty in
     * a ring too coarse for it to matter, where a burn starts with its bucket.
     */
    public long[] firstBadMs;

    public BucketRing() {}

    static BucketRing of(long bucketMs, int size, boolean firstBadPerBucket) {
        BucketRing ring = new BucketRing();
        ring.bucketMs = bucketMs;
        ring.bad = new long[size];
        ring.total = new long[size];
        ring.firstBadMs = new long[firstBadPerBucket ? size : 0];
        Arrays.fill(ring.firstBadMs, Long.MAX_VALUE);
        return ring;
    }

    long span() {
        return bucketMs * bad.length;
    }

    /** Adds a count to its bucket; false, and nothing added, if that bucket left the ring. */
    boolean add(long eventTimeMs, long badEvents, long totalEvents, long firstBad) {
        long index = Math.floorDiv(eventTimeMs, bucketMs);
        if (newest == EMPTY || index > newest) {
            advanceTo(index);
        } else if (index <= newest - bad.length) {
            return false;
        }
        int slot = slot(index);
        bad[slot] += badEvents;
        total[slot] += totalEvents;
        if (firstBadMs.length > 0) {
            firstBadMs[slot] = Math.min(firstBadMs[slot], firstBad);
        }
        return true;
    }

    private void advanceTo(long index) {
        long cleared = newest == EMPTY ? bad.length : Math.min(index - newest, bad.length);
        for (long i = index - cleared + 1; i <= index; i++) {
            int slot = slot(i);
            bad[slot] = 0;
            total[slot] = 0;
            if (firstBadMs.length > 0) {
                firstBadMs[slot] = Long.MAX_VALUE;
            }
        }
        newest = index;
    }

    /** Bad and total events of the last {@code buckets} buckets up to the newest. */
    Window window(int buckets) {
        return window(buckets, newest);
    }

    /**
     * Bad and total events of the {@code buckets} buckets up to bucket {@code end}: those the ring
     * still holds, none after the newest.
     */
    Window window(int buckets, long end) {
        long badSum = 0;
        long totalSum = 0;
        if (newest != EMPTY) {
            long last = Math.min(end, newest);
            long first = Math.max(end - buckets + 1, newest - bad.length + 1);
            for (long i = first; i <= last; i++) {
                int slot = slot(i);
                badSum += bad[slot];
                totalSum += total[slot];
            }
        }
        return new Window(badSum, totalSum);
    }

    /**
     * Where a burn that tripped began: the earliest bad event (or, in a ring without them, the
     * start) of the first bucket of the latest run of buckets over {@code threshold} up to bucket
     * {@code end}, among the last {@code buckets} and starting at or after {@code notBeforeMs}.
     * Buckets under the threshold after the run (a good first count in a new bucket) are passed
     * over; buckets without events do not break the run; a bucket under the threshold before it
     * does, so a stray error before an incident is not taken for its start. {@link Long#MAX_VALUE}
     * if no bucket since {@code notBeforeMs} is over the threshold.
     */
    long burnStartMs(int buckets, double threshold, long notBeforeMs, long end) {
        long start = Long.MAX_VALUE;
        long first = Math.max(end - buckets + 1, newest - bad.length + 1);
        for (long i = Math.min(end, newest); i >= first && i * bucketMs >= notBeforeMs; i--) {
            int slot = slot(i);
            if (total[slot] == 0) {
                continue;
            }
            boolean over = bad[slot] > 0 && bad[slot] >= threshold * total[slot];
            if (over) {
                start = firstBadMs.length > 0 ? firstBadMs[slot] : i * bucketMs;
            } else if (start != Long.MAX_VALUE) {
                break;
            }
        }
        return start;
    }

    private int slot(long index) {
        return (int) Math.floorMod(index, (long) bad.length);
    }

    /** Bad and total events of a window; 0/0 is no data. */
    record Window(long bad, long total) {
        double errorRatio() {
            return total == 0 ? Double.NaN : (double) bad / total;
        }
    }
}
