package dev.servicehealth.aggregator.sketch;

import com.tdunning.math.stats.MergingDigest;
import java.nio.ByteBuffer;

/**
 * A mergeable latency distribution: a t-digest (Dunning's {@code MergingDigest}, compression
 * {@value #COMPRESSION}) in the byte format Pinot 0.11's {@code percentileTDigest} reads, so
 * windows, dimensions and tables merge it at query time and no percentile is ever averaged.
 *
 * <p>Error bound, tested by {@code LatencySketchTest} on uniform, log-normal, bimodal and
 * heavy-tailed samples, single and merged: the value returned for quantile q of n values lies
 * between the exact quantiles at q − {@link #rankError(double, long)} and q + {@link
 * #rankError(double, long)} of the data.
 */
public final class LatencySketch {
    /** t-digest's accuracy/size knob: ≈ 100 centroids at most, ≈ 1–2 KB serialized. */
    public static final double COMPRESSION = 100;

    private final MergingDigest digest;

    private LatencySketch(MergingDigest digest) {
        this.digest = digest;
    }

    public static LatencySketch empty() {
        return new LatencySketch(new MergingDigest(COMPRESSION));
    }

    /** Reads the bytes written by {@link #toBytes()} (or by any t-digest 3.2 MergingDigest). */
    public static LatencySketch fromBytes(byte[] bytes) {
        return new LatencySketch(MergingDigest.fromBytes(ByteBuffer.wrap(bytes)));
    }

    /**
     * The documented rank error at quantile q, in quantile units: ± 1 percentage point from P10 to
     * P90, ± 0.5 up to P95 (and down to P5), ± 0.2 beyond. Measured for compression 100 on uniform,
     * log-normal, bimodal and Pareto samples of 10 to 200,000 values, the worst seen in 80 samples
     * per size was 0.67, 0.60, 0.33 and 0.10 points at P50, P90, P95 and P99; the test holds the
     * bound on single and merged sketches.
     */
    /**
     * The bound for a sketch of {@code n} values: {@link #rankError(double)} plus one value, since
     * the sketch interpolates between neighbouring values and with few values one neighbour is a
     * large step in rank (24 values: P95 may lie anywhere between the 23rd and the 24th).
     */
    public static double rankError(double q, long n) {
        return rankError(q) + 1.0 / Math.max(1, n);
    }

    public static double rankError(double q) {
        double tail = Math.min(q, 1 - q);
        if (tail >= 0.1) {
            return 0.01;
        }
        return tail >= 0.05 ? 0.005 : 0.002;
    }

    /** Adds one value; {@code NaN} (an event without this latency) is ignored. */
    public void add(double value) {
        if (!Double.isNaN(value)) {
            digest.add(value);
        }
    }

    public void merge(LatencySketch other) {
        if (other.digest.size() > 0) {
            digest.add(other.digest);
        }
    }

    public long count() {
        return digest.size();
    }

    /** The estimated quantile, or {@code NaN} if the sketch holds no value. */
    public double quantile(double q) {
        return digest.size() == 0 ? Double.NaN : digest.quantile(q);
    }

    public byte[] toBytes() {
        digest.compress();
        ByteBuffer buffer = ByteBuffer.allocate(digest.byteSize());
        digest.asBytes(buffer);
        return buffer.array();
    }
}
