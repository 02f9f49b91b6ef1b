package dev.servicehealth.aggregator.kpi;

import dev.servicehealth.model.EventTimePolicy;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.catalog.Grain;

/**
 * The upsert key of one KPI row: a grain, the start of its one-minute event-time window and the
 * grain's other dimensions in {@link Grain#dimensions()} order, joined by a unit separator. Only
 * strings and numbers, so its hash code (which picks the key group) is the same in every JVM: an
 * enum's hash code is its identity, different in each task manager, so the grain is kept by its
 * name and {@link #grain()} gives the enum.
 */
public record KpiKey(String grainName, long windowStartMs, String dimensions) {
    public static final char SEPARATOR = '\u001f';
    private static final long WINDOW_MS = EventTimePolicy.WINDOW.toMillis();

    public static KpiKey of(Grain grain, RequestEvent event) {
        return KpiKeyFields.of(grain, event).key();
    }

    public Grain grain() {
        return Grain.valueOf(grainName);
    }

    public static long windowStart(long eventTimeMs) {
        return Math.floorDiv(eventTimeMs, WINDOW_MS) * WINDOW_MS;
    }

    /** The last event time inside the window (Flink's window max timestamp). */
    public long windowMaxTimestamp() {
        return windowMaxTimestamp(windowStartMs);
    }

    public static long windowMaxTimestamp(long windowStartMs) {
        return windowStartMs + WINDOW_MS - 1;
    }
}
