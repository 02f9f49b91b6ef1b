package dev.servicehealth.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import com.tdunning.math.stats.MergingDigest;
import dev.servicehealth.aggregator.sketch.LatencySketch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LatencySketchTest {
    private static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99};

    @ParameterizedTest
    @ValueSource(strings = {"uniform", "lognormal", "bimodal", "pareto"})
    void estimatesWithinTheDocumentedRankError(String shape) {
        for (int n : new int[] {10, 100, 1_000, 20_000, 200_000}) {
            double[] values = sample(shape, n, n);
            LatencySketch sketch = LatencySketch.empty();
            for (double v : values) {
                sketch.add(v);
            }
            assertWithinBound(sketch, values, shape + " n=" + n);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"uniform", "lognormal", "bimodal", "pareto"})
    void mergedSketchesKeepTheBound(String shape) {
        List<double[]> parts = new ArrayList<>();
        LatencySketch merged = LatencySketch.empty();
        // sixty one-minute windows of uneven size, merged as a dashboard's hour would be
        for (int minute = 0; minute < 60; minute++) {
            double[] part = sample(shape, 50 + minute * 37, minute);
            parts.add(part);
            LatencySketch window = LatencySketch.empty();
            for (double v : part) {
                window.add(v);
            }
            merged.merge(LatencySketch.fromBytes(window.toBytes()));
        }
        double[] all = parts.stream().flatMapToDouble(Arrays::stream).toArray();
        assertThat(merged.count()).isEqualTo(all.length);
        assertWithinBound(merged, all, shape + " merged");
    }

    @ParameterizedTest
    @ValueSource(strings = {"uniform", "lognormal", "bimodal", "pareto"})
    void manySmallRowsMergeWithinTheBound(String shape) {
        List<double[]> parts = new ArrayList<>();
        LatencySketch merged = LatencySketch.empty();
        // a tenant's endpoint over 15 minutes: partials of a few events, then published rows
        for (int row = 0; row < 15; row++) {
            LatencySketch window = LatencySketch.empty();
            for (int partial = 0; partial < 20; partial++) {
                double[] part = sample(shape, 1 + (row * 7 + partial) % 9, row * 100L + partial);
                parts.add(part);
                LatencySketch small = LatencySketch.empty();
                for (double v : part) {
                    small.add(v);
                }
                window.merge(LatencySketch.fromBytes(small.toBytes()));
                window = LatencySketch.fromBytes(window.toBytes());
            }
            merged.merge(LatencySketch.fromTDigestBytes(window.toTDigestBytes()));
        }
        double[] all = parts.stream().flatMapToDouble(Arrays::stream).toArray();
        assertThat(merged.count()).isEqualTo(all.length);
        assertWithinBound(merged, all, shape + " small rows merged");
    }

    @Test
    void keepsFewValuesExactlyAndPublishesThemAsATDigest() {
        LatencySketch sketch = LatencySketch.empty();
        for (int v = 1; v <= 64; v++) {
            sketch.add(v);
        }
        assertThat(sketch.toBytes())
                .as("stored as 64 values: a form byte, a count and the doubles")
                .hasSize(1 + 4 + 64 * 8);
        sketch.add(65);
        assertThat(LatencySketch.fromBytes(sketch.toBytes()).count()).isEqualTo(65);

        MergingDigest published = MergingDigest.fromBytes(ByteBuffer.wrap(sketch.toTDigestBytes()));
        assertThat(published.size()).isEqualTo(65);
        assertThat(published.quantile(0.5)).isEqualTo(sketch.quantile(0.5));
        assertThat(LatencySketch.empty().toTDigestBytes())
                .as("an empty row still carries a digest Pinot can read")
                .satisfies(
                        b ->
                                assertThat(MergingDigest.fromBytes(ByteBuffer.wrap(b)).size())
                                        .isZero());
    }

    @Test
    void ignoresAbsentValuesAndSaysSoWhenEmpty() {
        LatencySketch sketch = LatencySketch.empty();
        sketch.add(Double.NaN);

        assertThat(sketch.count()).isZero();
        assertThat(sketch.quantile(0.5)).isNaN();
        assertThat(LatencySketch.fromBytes(sketch.toBytes()).count()).isZero();
    }

    private static void assertWithinBound(LatencySketch sketch, double[] values, String what) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        for (double q : QUANTILES) {
            double estimate = sketch.quantile(q);
            double error = LatencySketch.rankError(q, sorted.length);
            double low = exact(sorted, q - error);
            double high = exact(sorted, q + error);
            assertThat(estimate)
                    .as(
                            "%s: P%s between the exact P%s and P%s",
                            what, q * 100, (q - error) * 100, (q + error) * 100)
                    .isBetween(low, high);
        }
    }

    /** The exact quantile by the nearest-rank definition, clamped to the data. */
    static double exact(double[] sorted, double q) {
        int rank = (int) Math.ceil(Math.min(1, Math.max(0, q)) * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    private static double[] sample(String shape, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed * 31 + shape.hashCode());
        DoubleSupplier next =
                switch (shape) {
                    case "uniform" -> () -> random.nextDouble(1, 1_000);
                    case "lognormal" -> () -> Math.exp(3 + gaussian(random));
                    case "bimodal" ->
                            () ->
                                    random.nextInt(10) == 0
                                            ? 2_000 + 200 * gaussian(random)
                                            : 40 + 5 * gaussian(random);
                    case "pareto" -> () -> 5 / Math.pow(1 - random.nextDouble(), 1 / 1.2);
                    default -> throw new IllegalArgumentException(shape);
                };
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = Math.round(next.getAsDouble() * 1_000) / 1_000.0;
        }
        return values;
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
