package dev.servicehealth.ingest.normalize;

import dev.servicehealth.ingest.parse.ParsedLine;
import dev.servicehealth.model.DeadLetterReason;
import dev.servicehealth.model.EventKind;
import dev.servicehealth.model.catalog.PipelineMetric;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * The normalizer's Micrometer meters, created once per subtask in {@code open()}. Names come from
 * {@link PipelineMetric}; every outcome of a raw record is counted here.
 */
public final class NormalizerMetrics {
    private final Map<SourceKind, Counter> recordsIn = new EnumMap<>(SourceKind.class);
    private final Map<EventKind, Counter> eventsOut = new EnumMap<>(EventKind.class);
    private final Map<SourceKind, Map<DeadLetterReason, Counter>> deadLetters =
            new EnumMap<>(SourceKind.class);
    private final Map<SourceKind, Counter> unknownFields = new EnumMap<>(SourceKind.class);
    private final Map<SourceKind, Counter> coercedFields = new EnumMap<>(SourceKind.class);
    private final Map<SourceKind, Counter> unmappedEndpoints = new EnumMap<>(SourceKind.class);
    private final Map<SourceKind, Counter> foldedEndpoints = new EnumMap<>(SourceKind.class);
    private final Map<SourceKind, Counter> unknownTenants = new EnumMap<>(SourceKind.class);
    private final Map<SourceKind, DistributionSummary> eventLag = new EnumMap<>(SourceKind.class);
    private final Counter referenceUpdatesApplied;
    private final Counter referenceUpdatesRejected;

    public NormalizerMetrics(MeterRegistry registry) {
        for (SourceKind source : SourceKind.values()) {
            String tag = source.tag();
            recordsIn.put(
                    source, counter(registry, PipelineMetric.NORMALIZER_RECORDS_IN, "source", tag));
            unknownFields.put(
                    source,
                    counter(registry, PipelineMetric.NORMALIZER_UNKNOWN_FIELDS, "source", tag));
            coercedFields.put(
                    source,
                    counter(registry, PipelineMetric.NORMALIZER_COERCED_FIELDS, "source", tag));
            unmappedEndpoints.put(
                    source,
                    counter(registry, PipelineMetric.NORMALIZER_UNMAPPED_ENDPOINTS, "source", tag));
            foldedEndpoints.put(
                    source,
                    counter(registry, PipelineMetric.NORMALIZER_FOLDED_ENDPOINTS, "source", tag));
            unknownTenants.put(
                    source,
                    counter(registry, PipelineMetric.NORMALIZER_UNKNOWN_TENANTS, "source", tag));
            eventLag.put(
                    source,
                    DistributionSummary.builder(PipelineMetric.NORMALIZER_EVENT_LAG.meterName())
                            .description(PipelineMetric.NORMALIZER_EVENT_LAG.description())
                            .baseUnit("milliseconds")
                            .tag("source", tag)
                            // fixed buckets, not client-side percentiles: Prometheus can add
                            // them up across task managers, and recording costs a third
                            .serviceLevelObjectives(PipelineMetric.lagBucketsMs())
                            .register(registry));
            Map<DeadLetterReason, Counter> byReason = new EnumMap<>(DeadLetterReason.class);
            for (DeadLetterReason reason : DeadLetterReason.values()) {
                byReason.put(
                        reason,
                        Counter.builder(PipelineMetric.NORMALIZER_DEAD_LETTERS.meterName())
                                .description(PipelineMetric.NORMALIZER_DEAD_LETTERS.description())
                                .tag("source", tag)
                                .tag("reason", reason.code())
                                .register(registry));
            }
            deadLetters.put(source, byReason);
        }
        referenceUpdatesApplied =
                counter(
                        registry,
                        PipelineMetric.NORMALIZER_REFERENCE_UPDATES,
                        "outcome",
                        "applied");
        referenceUpdatesRejected =
                counter(
                        registry,
                        PipelineMetric.NORMALIZER_REFERENCE_UPDATES,
                        "outcome",
                        "rejected");
        for (EventKind kind : EventKind.values()) {
            eventsOut.put(
                    kind,
                    counter(registry, PipelineMetric.NORMALIZER_EVENTS_OUT, "kind", kind.tag()));
        }
    }

    private static Counter counter(
            MeterRegistry registry, PipelineMetric metric, String tagKey, String tagValue) {
        return Counter.builder(metric.meterName())
                .description(metric.description())
                .tag(tagKey, tagValue)
                .register(registry);
    }

    void recordIn(SourceKind source) {
        recordsIn.get(source).increment();
    }

    void eventOut(EventKind kind, SourceKind source, long eventTimeMs, long ingestTimeMs) {
        eventsOut.get(kind).increment();
        eventLag.get(source).record(Math.max(0, ingestTimeMs - eventTimeMs));
    }

    void deadLetter(SourceKind source, DeadLetterReason reason) {
        deadLetters.get(source).get(reason).increment();
    }

    void parsed(SourceKind source, ParsedLine line) {
        if (line.unknownFields() > 0) {
            unknownFields.get(source).increment(line.unknownFields());
        }
        if (line.coercedFields() > 0) {
            coercedFields.get(source).increment(line.coercedFields());
        }
    }

    void unmappedEndpoint(SourceKind source) {
        unmappedEndpoints.get(source).increment();
    }

    void foldedEndpoint(SourceKind source) {
        foldedEndpoints.get(source).increment();
    }

    void referenceUpdate(boolean applied) {
        (applied ? referenceUpdatesApplied : referenceUpdatesRejected).increment();
    }

    void unknownTenant(SourceKind source) {
        unknownTenants.get(source).increment();
    }
}
