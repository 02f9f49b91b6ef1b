package dev.servicehealth.aggregator.kpi;

/**
 * What some events contribute to one KPI row: counters in catalog order, sketches in their stored
 * form, saturation gauges, the number of events and the newest event time (see {@link
 * KpiAggregate}). What crosses the network to the keyed windows, so several events of one key can
 * travel as one record.
 *
 * @param tooLate the events came after their window's lateness bound by their clock (decision
 *     0009): the window function writes them to the too-late output, never into the window
 */
public record KpiPartial(
        KpiKey key,
        long[] counters,
        byte[][] sketches,
        double[] gauges,
        long events,
        long newestEventTimeMs,
        boolean tooLate) {

    public static KpiPartial of(KpiKey key, KpiAggregate aggregate) {
        return of(key, aggregate, false);
    }

    public static KpiPartial of(KpiKey key, KpiAggregate aggregate, boolean tooLate) {
        return new KpiPartial(
                key,
                aggregate.counters(),
                aggregate.sketchBytes(),
                aggregate.gauges(),
                aggregate.events(),
                aggregate.newestEventTimeMs(),
                tooLate);
    }

    public KpiAggregate aggregate() {
        return KpiAggregate.of(counters, sketches, gauges, events, newestEventTimeMs);
    }
}
