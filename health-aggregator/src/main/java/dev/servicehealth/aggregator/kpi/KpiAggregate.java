package dev.servicehealth.aggregator.kpi;

import dev.servicehealth.aggregator.sketch.LatencySketch;
import dev.servicehealth.model.MetricSample;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.catalog.CounterKpi;
import dev.servicehealth.model.catalog.DistributionKpi;
import dev.servicehealth.model.catalog.Grain;
import dev.servicehealth.model.catalog.MetricCatalog;
import dev.servicehealth.model.catalog.SaturationKpi;
import java.util.List;

/**
 * The KPIs of one row while it is being built. A request row holds every counter of {@link
 * MetricCatalog#COUNTERS} and a sketch per {@link MetricCatalog#DISTRIBUTIONS}, in catalog order; a
 * saturation row holds, per {@link MetricCatalog#SATURATION} signal, the largest value, the sum and
 * the number of samples (so the average is exact after any merge). The catalog is the one
 * definition of what an event contributes, so the aggregator cannot disagree with it.
 */
public final class KpiAggregate {
    private static final List<CounterKpi> COUNTERS = MetricCatalog.COUNTERS;
    private static final List<DistributionKpi> DISTRIBUTIONS = MetricCatalog.DISTRIBUTIONS;
    private static final List<SaturationKpi> SIGNALS = MetricCatalog.SATURATION;

    /** Per saturation signal: max, sum, samples. */
    private static final int GAUGE_SLOTS = 3;

    private final long[] counters;
    private final LatencySketch[] sketches;
    private final double[] gauges;
    private long events;
    private long newestEventTimeMs;

    private KpiAggregate(
            long[] counters,
            LatencySketch[] sketches,
            double[] gauges,
            long events,
            long newestEventTimeMs) {
        this.counters = counters;
        this.sketches = sketches;
        this.gauges = gauges;
        this.events = events;
        this.newestEventTimeMs = newestEventTimeMs;
    }

    /** An empty row of the grain: request counters and sketches, or saturation gauges. */
    public static KpiAggregate empty(Grain grain) {
        if (grain == Grain.SATURATION) {
            return new KpiAggregate(
                    new long[0],
                    new LatencySketch[0],
                    new double[SIGNALS.size() * GAUGE_SLOTS],
                    0,
                    Long.MIN_VALUE);
        }
        LatencySketch[] sketches = new LatencySketch[DISTRIBUTIONS.size()];
        for (int i = 0; i < sketches.length; i++) {
            sketches[i] = LatencySketch.empty();
        }
        return new KpiAggregate(
                new long[COUNTERS.size()], sketches, new double[0], 0, Long.MIN_VALUE);
    }

    /** The aggregate a partial or a stored row holds. */
    public static KpiAggregate of(
            long[] counters,
            byte[][] sketches,
            double[] gauges,
            long events,
            long newestEventTimeMs) {
        LatencySketch[] restored = new LatencySketch[sketches.length];
        for (int i = 0; i < sketches.length; i++) {
            restored[i] = LatencySketch.fromBytes(sketches[i]);
        }
        return new KpiAggregate(
                counters.clone(), restored, gauges.clone(), events, newestEventTimeMs);
    }

    /** The catalog position of the saturation signal a metric feeds, or -1 for other metrics. */
    public static int saturationSignal(String metricName) {
        for (int i = 0; i < SIGNALS.size(); i++) {
            if (SIGNALS.get(i).metricName().equals(metricName)) {
                return i;
            }
        }
        return -1;
    }

    public void add(RequestEvent event) {
        add(event, COUNTERS);
    }

    /**
     * Adds the event as {@code definitions} count it: the catalog's counters, or another version of
     * them with the same names in the same order (a test reproducing a wrong definition).
     */
    public void add(RequestEvent event, List<CounterKpi> definitions) {
        for (int i = 0; i < counters.length; i++) {
            counters[i] += definitions.get(i).of(event);
        }
        for (int i = 0; i < sketches.length; i++) {
            sketches[i].add(DISTRIBUTIONS.get(i).of(event));
        }
        events++;
        newestEventTimeMs = Math.max(newestEventTimeMs, event.eventTimeMs());
    }

    /** Adds a sample of the saturation signal at {@code signal} (see {@link #saturationSignal}). */
    public void add(int signal, MetricSample sample) {
        addGauge(signal, sample.value(), sample.value(), 1);
        events++;
        newestEventTimeMs = Math.max(newestEventTimeMs, sample.timestampMs());
    }

    public void merge(KpiAggregate other) {
        for (int i = 0; i < counters.length; i++) {
            counters[i] += other.counters[i];
        }
        for (int i = 0; i < sketches.length; i++) {
            sketches[i].merge(other.sketches[i]);
        }
        for (int signal = 0; signal < gauges.length / GAUGE_SLOTS; signal++) {
            int at = signal * GAUGE_SLOTS;
            if (other.gauges[at + 2] > 0) {
                addGauge(signal, other.gauges[at], other.gauges[at + 1], other.gauges[at + 2]);
            }
        }
        events += other.events;
        newestEventTimeMs = Math.max(newestEventTimeMs, other.newestEventTimeMs);
    }

    private void addGauge(int signal, double max, double sum, double samples) {
        int at = signal * GAUGE_SLOTS;
        gauges[at] = gauges[at + 2] == 0 ? max : Math.max(gauges[at], max);
        gauges[at + 1] += sum;
        gauges[at + 2] += samples;
    }

    public long[] counters() {
        return counters.clone();
    }

    /** Per saturation signal: max, sum, samples. Empty for request rows. */
    public double[] gauges() {
        return gauges.clone();
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
        if (sketches.length == 0) {
            return new double[0];
        }
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
