package dev.servicehealth.dedup;

import dev.servicehealth.model.EventKind;
import dev.servicehealth.model.catalog.PipelineMetric;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The dedup job's Micrometer meters, created once per subtask in {@code open()}; names from {@link
 * PipelineMetric}. Every event read ends up counted as written or as a dropped duplicate.
 */
final class DedupMetrics {
    private final Map<EventKind, Counter> eventsIn = new EnumMap<>(EventKind.class);
    private final Map<EventKind, Counter> eventsOut = new EnumMap<>(EventKind.class);
    private final Map<EventKind, Counter> unkeyed = new EnumMap<>(EventKind.class);
    private final Map<String, Counter> duplicates = new HashMap<>();
    private final Map<String, Counter> conflicts = new HashMap<>();
    private final Map<EventKind, Counter> tooLateHeld = new EnumMap<>(EventKind.class);
    private final Map<EventKind, Counter> earlierCopyKept = new EnumMap<>(EventKind.class);

    DedupMetrics(MeterRegistry registry) {
        for (EventKind kind : EventKind.values()) {
            eventsIn.put(kind, counter(registry, PipelineMetric.DEDUP_EVENTS_IN, kind));
            eventsOut.put(kind, counter(registry, PipelineMetric.DEDUP_EVENTS_OUT, kind));
            unkeyed.put(kind, counter(registry, PipelineMetric.DEDUP_UNKEYED_EVENTS, kind));
            tooLateHeld.put(kind, counter(registry, PipelineMetric.DEDUP_TOO_LATE_HELD, kind));
            earlierCopyKept.put(
                    kind, counter(registry, PipelineMetric.DEDUP_EARLIER_COPY_KEPT, kind));
            for (String source : EventSource.tagsOf(kind)) {
                duplicates.put(
                        kind + source,
                        counter(registry, PipelineMetric.DEDUP_DUPLICATES_DROPPED, kind, source));
                conflicts.put(
                        kind + source,
                        counter(registry, PipelineMetric.DEDUP_CONFLICTS, kind, source));
            }
        }
    }

    void eventIn(EventKind kind) {
        eventsIn.get(kind).increment();
    }

    void eventOut(EventKind kind) {
        eventsOut.get(kind).increment();
    }

    void unkeyed(EventKind kind) {
        unkeyed.get(kind).increment();
    }

    void tooLateHeld(EventKind kind) {
        tooLateHeld.get(kind).increment();
    }

    void earlierCopyKept(EventKind kind) {
        earlierCopyKept.get(kind).increment();
    }

    void duplicate(EventKind kind, String source) {
        duplicates.get(kind + source).increment();
    }

    void conflict(EventKind kind, String source) {
        conflicts.get(kind + source).increment();
    }

    private static Counter counter(MeterRegistry registry, PipelineMetric metric, EventKind kind) {
        return Counter.builder(metric.meterName())
                .description(metric.description())
                .tag("kind", kind.tag())
                .register(registry);
    }

    private static Counter counter(
            MeterRegistry registry, PipelineMetric metric, EventKind kind, String source) {
        return Counter.builder(metric.meterName())
                .description(metric.description())
                .tag("kind", kind.tag())
                .tag("source", source)
                .register(registry);
    }
}
