package dev.servicehealth.runtime;

import java.util.HashMap;
import java.util.Map;

/**
 * Decides which occurrences of a recurring problem get a log line, so that a burst of bad input
 * cannot flood the log: the first of each kind at once, then at most one per kind per interval,
 * saying how many were not logged in between. Meters count every occurrence; this is only about the
 * lines. One per subtask, not thread-safe.
 *
 * @param <K> the kind of problem (a dead-letter reason, a topic)
 */
public final class ThrottledLog<K> {
    /** The interval the jobs' logs use. */
    public static final long DEFAULT_INTERVAL_MS = 10_000;

    private final long intervalMs;
    private final Map<K, long[]> byKind = new HashMap<>();

    public ThrottledLog(long intervalMs) {
        this.intervalMs = intervalMs;
    }

    /**
     * @return how many of this kind were not logged since its last line, if this occurrence is to
     *     be logged now; -1 if it is not
     */
    public long admit(K kind, long nowMs) {
        long[] state = byKind.get(kind);
        if (state == null) {
            byKind.put(kind, new long[] {nowMs, 0});
            return 0;
        }
        if (nowMs - state[0] < intervalMs) {
            state[1]++;
            return -1;
        }
        long skipped = state[1];
        state[0] = nowMs;
        state[1] = 0;
        return skipped;
    }
}
