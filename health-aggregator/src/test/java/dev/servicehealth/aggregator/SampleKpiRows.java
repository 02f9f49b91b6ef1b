package dev.servicehealth.aggregator;

import dev.servicehealth.aggregator.kpi.Firing;
import dev.servicehealth.aggregator.kpi.KpiKey;
import dev.servicehealth.aggregator.kpi.KpiRow;
import dev.servicehealth.model.catalog.Grain;
import dev.servicehealth.model.catalog.MetricCatalog;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * KPI rows with every column filled, for the tests that hold a downstream schema (Pinot, Iceberg)
 * against what the aggregator writes.
 */
public final class SampleKpiRows {
    private SampleKpiRows() {}

    /** A row of {@code grain}: dimensions d1, d2, …, every counter 3, every percentile 12.5. */
    public static KpiRow of(Grain grain) {
        String dimensions =
                IntStream.range(1, grain.dimensions().size())
                        .mapToObj(i -> "d" + i)
                        .collect(Collectors.joining(String.valueOf(KpiKey.SEPARATOR)));
        long[] counters = new long[MetricCatalog.COUNTERS.size()];
        Arrays.fill(counters, 3);
        byte[][] sketches = new byte[MetricCatalog.DISTRIBUTIONS.size()][];
        Arrays.fill(sketches, new byte[] {1, 2, 3});
        double[] percentiles =
                new double
                        [MetricCatalog.DISTRIBUTIONS.stream()
                                .mapToInt(d -> d.quantiles().size())
                                .sum()];
        Arrays.fill(percentiles, 12.5);
        double[] gauges = new double[3 * MetricCatalog.SATURATION.size()];
        Arrays.fill(gauges, 2);
        return new KpiRow(
                new KpiKey(grain.name(), 1_700_000_000_000L, dimensions),
                7,
                0,
                Firing.ON_TIME,
                counters,
                sketches,
                percentiles,
                gauges,
                9,
                1_700_000_030_000L,
                1_700_000_065_000L);
    }
}
