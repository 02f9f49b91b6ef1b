package dev.servicehealth.aggregator.kpi;

/**
 * What some events contribute to one KPI row: counters in catalog order, serialized sketches, the
 * number of events and the newest event time. What crosses the network to the keyed windows, so
 * several events of one key can travel as one record.
 */
public record KpiPartial(
        KpiKey key, long[] counters, byte[][] sketches, long events, long newestEventTimeMs) {

    public static KpiPartial of(KpiKey key, KpiAggregate aggregate) {
        return new KpiPartial(
                key,
                aggregate.counters(),
                aggregate.sketchBytes(),
                aggregate.events(),
                aggregate.newestEventTimeMs());
    }

    public KpiAggregate aggregate() {
        return KpiAggregate.of(counters, sketches, events, newestEventTimeMs);
    }
}
