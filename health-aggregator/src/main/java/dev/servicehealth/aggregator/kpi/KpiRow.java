package dev.servicehealth.aggregator.kpi;

/**
 * One upsert of a KPI row: the full aggregate of its key so far (never a delta), with a version
 * that grows with every firing of the key, so that whichever copy a store keeps last by version is
 * the newest and replays converge.
 *
 * @param percentiles precomputed from the sketches, distribution-major (see {@link
 *     KpiAggregate#percentiles()}); the sketches are there for merging across rows
 * @param gauges per saturation signal max, sum and samples (see {@link KpiAggregate#gauges()})
 * @param newestEventTimeMs the newest event time in the row: how fresh it is when it is read
 */
public record KpiRow(
        KpiKey key,
        long version,
        int generation,
        Firing firing,
        long[] counters,
        byte[][] sketches,
        double[] percentiles,
        double[] gauges,
        long events,
        long newestEventTimeMs,
        long emittedAtMs) {}
