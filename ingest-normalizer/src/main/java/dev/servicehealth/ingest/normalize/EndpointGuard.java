package dev.servicehealth.ingest.normalize;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps one misbehaving client from exploding the endpoint dimension (and Pinot's drill-down rows
 * with it): a path outside the catalog keeps its derived endpoint only while its source has made
 * fewer than {@code maxNewPerMinute} new endpoints in the event's minute; the excess is folded into
 * {@value Enricher#OTHER_ENDPOINT} by the caller, which counts it. An endpoint once admitted stays
 * admitted while it is among the {@value #REMEMBERED} most recently seen of its source. The counts
 * of the last {@value #MINUTES_KEPT} minutes seen are kept; an event older than all of them cannot
 * make a new endpoint (it is too late for its window anyway).
 *
 * <p>Per normalizer subtask and not checkpointed: the limit is per subtask (a job of parallelism p
 * admits at most p × the limit a minute), and after a restart an endpoint is new again. Which paths
 * of a burst above the limit keep their endpoint depends on the order they are read in; the count
 * of folded events says how many did not.
 */
final class EndpointGuard {
    static final int REMEMBERED = 20_000;

    /** Minutes of new-endpoint counts kept: the lateness bound and a margin. */
    static final int MINUTES_KEPT = 15;

    private final int maxNewPerMinute;
    private final Map<SourceKind, Map<String, Boolean>> admitted = new EnumMap<>(SourceKind.class);
    private final Map<SourceKind, TreeMap<Long, Integer>> newByMinute =
            new EnumMap<>(SourceKind.class);

    EndpointGuard(int maxNewPerMinute) {
        if (maxNewPerMinute < 0) {
            throw new IllegalArgumentException("maxNewPerMinute must not be negative");
        }
        this.maxNewPerMinute = maxNewPerMinute;
        for (SourceKind source : SourceKind.values()) {
            admitted.put(
                    source,
                    new LinkedHashMap<>(256, 0.75f, true) {
                        @Override
                        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                            return size() > REMEMBERED;
                        }
                    });
            newByMinute.put(source, new TreeMap<>());
        }
    }

    /** Whether {@code endpoint}, derived from a path outside the catalog, may be its own value. */
    boolean admit(SourceKind source, long eventTimeMs, String endpoint) {
        Map<String, Boolean> known = admitted.get(source);
        if (known.get(endpoint) != null) {
            return true;
        }
        long minute = Math.floorDiv(eventTimeMs, 60_000L);
        TreeMap<Long, Integer> counts = newByMinute.get(source);
        Integer made = counts.get(minute);
        if (made == null) {
            if (counts.size() >= MINUTES_KEPT) {
                // older than every minute kept: no budget to reset, so it cannot bypass the limit
                if (minute < counts.firstKey()) {
                    return false;
                }
                counts.pollFirstEntry();
            }
            made = 0;
        }
        if (made >= maxNewPerMinute) {
            return false;
        }
        counts.put(minute, made + 1);
        known.put(endpoint, Boolean.TRUE);
        return true;
    }
}
