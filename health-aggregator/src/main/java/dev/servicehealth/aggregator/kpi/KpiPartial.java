package dev.servicehealth.aggregator.kpi;

/**
 * What some events contribute to one KPI row: counters in catalog order, serialized sketches, the
 * number of events. What crosses the network to the keyed windows, so several events of one key can
 * travel as one record.
 */
public record KpiPartial(KpiKey key, long[] counters, byte[][] sketches, long events) {

    public static KpiPartial of(KpiKey key, KpiAggregate aggregate) {
        return new KpiPartial(
                key, aggregate.counters(), aggregate.sketchBytes(), aggregate.events());
    }

    public KpiAggregate aggregate() {
        return KpiAggregate.of(counters, sketches, events);
    }
}
