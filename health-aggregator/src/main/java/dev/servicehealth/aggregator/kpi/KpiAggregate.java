package dev.servicehealth.aggregator.kpi;

import dev.servicehealth.aggregator.sketch.LatencySketch;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.catalog.CounterKpi;
import dev.servicehealth.model.catalog.DistributionKpi;
import dev.servicehealth.model.catalog.MetricCatalog;
import java.util.List;

/**
 * The KPIs of one row while it is being built: every counter of {@link MetricCatalog#COUNTERS} and
 * a sketch per {@link MetricCatalog#DISTRIBUTIONS}, in catalog order. The catalog is the one
 * definition of what an event contributes, so the aggregator cannot disagree with it.
 */
public final class KpiAggregate {
    private static final List<CounterKpi> COUNTERS = MetricCatalog.COUNTERS;
    private static final List<DistributionKpi> DISTRIBUTIONS = MetricCatalog.DISTRIBUTIONS;

    private final long[] counters;
    private final LatencySketch[] sketches;
    private long events;
    private long newestEventTimeMs;

    private KpiAggregate(
            long[] counters, LatencySketch[] sketches, long events, long newestEventTimeMs) {
        this.counters = counters;
        this.sketches = sketches;
        this.events = events;
        this.newestEventTimeMs = newestEventTimeMs;
    }

    public static KpiAggregate empty() {
        LatencySketch[] sketches = new LatencySketch[DISTRIBUTIONS.size()];
        for (int i = 0; i < sketches.length; i++) {
            sketches[i] = LatencySketch.empty();
        }
        return new KpiAggregate(new long[COUNTERS.size()], sketches, 0, Long.MIN_VALUE);
    }

    /** The aggregate a partial or a stored row holds. */
    public static KpiAggregate of(
            long[] counters, byte[][] sketches, long events, long newestEventTimeMs) {
        LatencySketch[] restored = new LatencySketch[sketches.length];
        for (int i = 0; i < sketches.length; i++) {
            restored[i] = LatencySketch.fromBytes(sketches[i]);
        }
        return new KpiAggregate(counters.clone(), restored, events, newestEventTimeMs);
    }

    public void add(RequestEvent event) {
        for (int i = 0; i < counters.length; i++) {
            counters[i] += COUNTERS.get(i).of(event);
        }
        for (int i = 0; i < sketches.length; i++) {
            sketches[i].add(DISTRIBUTIONS.get(i).of(event));
        }
        events++;
        newestEventTimeMs = Math.max(newestEventTimeMs, event.eventTimeMs());
    }

    public void merge(KpiAggregate other) {
        for (int i = 0; i < counters.length; i++) {
            counters[i] += other.counters[i];
        }
        for (int i = 0; i < sketches.length; i++) {
            sketches[i].merge(other.sketches[i]);
        }
        events += other.events;
        newestEventTimeMs = Math.max(newestEventTimeMs, other.newestEventTimeMs);
    }

    public long[] counters() {
        return counters.clone();
    }

    public long events() {
        return events;
    }

    /** The newest event time in the aggregate: how fresh a row emitted now is. */
    public long newestEventTimeMs() {
        return newestEventTimeMs;
    }

    /** The sketches in their stored form, for partials and window state. */
    public byte[][] sketchBytes() {
        byte[][] bytes = new byte[sketches.length][];
        for (int i = 0; i < sketches.length; i++) {
            bytes[i] = sketches[i].toBytes();
        }
        return bytes;
    }

    /** The sketches as published t-digests, for the rows Pinot and the history path merge. */
    public byte[][] tdigestBytes() {
        byte[][] bytes = new byte[sketches.length][];
        for (int i = 0; i < sketches.length; i++) {
            bytes[i] = sketches[i].toTDigestBytes();
        }
        return bytes;
    }

    /**
     * The catalog's percentiles of each distribution, distribution-major: for the default catalog
     * latency P50, P95, P99 then token mint P50, P95, P99. {@code NaN} where no event counted.
     */
    public double[] percentiles() {
        int perDistribution = DISTRIBUTIONS.get(0).quantiles().size();
        double[] values = new double[DISTRIBUTIONS.size() * perDistribution];
        for (int i = 0; i < DISTRIBUTIONS.size(); i++) {
            List<Double> quantiles = DISTRIBUTIONS.get(i).quantiles();
            for (int j = 0; j < quantiles.size(); j++) {
                values[i * perDistribution + j] = sketches[i].quantile(quantiles.get(j));
            }
        }
        return values;
    }
}
