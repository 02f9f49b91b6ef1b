package dev.servicehealth.aggregator.window;

import dev.servicehealth.aggregator.kpi.KpiAggregate;
import dev.servicehealth.aggregator.kpi.KpiKeyFields;
import dev.servicehealth.model.MetricSample;
import java.time.Duration;

/**
 * Pre-aggregates the metric samples of the catalog's saturation signals into saturation rows
 * (region × service); samples of other metrics feed no KPI and are passed over, and so are
 * Prometheus' staleness markers (a NaN value: the series ended, for example when an instance went
 * away in a deploy), which are no measurement.
 */
public final class SaturationPreAggregator extends KpiPreAggregator<MetricSample> {
    private static final long serialVersionUID = 1L;

    public SaturationPreAggregator(Duration flushInterval, int maxRows, Duration allowedLateness) {
        super("metrics", flushInterval, maxRows, allowedLateness);
    }

    @Override
    protected long eventTimeMs(MetricSample sample) {
        return sample.timestampMs();
    }

    @Override
    protected void contribute(MetricSample sample) {
        int signal = KpiAggregate.saturationSignal(sample.metricName());
        if (signal >= 0 && !Double.isNaN(sample.value())) {
            row(KpiKeyFields.of(sample)).add(signal, sample);
        }
    }
}
