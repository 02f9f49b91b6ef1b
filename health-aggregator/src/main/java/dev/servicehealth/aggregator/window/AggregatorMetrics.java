package dev.servicehealth.aggregator.window;

import dev.servicehealth.aggregator.kpi.Firing;
import dev.servicehealth.model.catalog.Grain;
import dev.servicehealth.model.catalog.PipelineMetric;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The window operator's meters, per grain; names from {@link PipelineMetric}. */
final class AggregatorMetrics {
    private final Map<String, Counter> firings = new HashMap<>();
    private final Map<String, Counter> late = new HashMap<>();
    private final Map<String, Counter> tooLate = new HashMap<>();
    private final Map<String, DistributionSummary> freshness = new HashMap<>();

    AggregatorMetrics(MeterRegistry registry) {
        for (Grain grain : Grain.values()) {
            String tag = grain.name().toLowerCase(Locale.ROOT);
            for (Firing firing : Firing.values()) {
                firings.put(
                        grain.name() + firing,
                        Counter.builder(PipelineMetric.AGGREGATOR_FIRINGS.meterName())
                                .description(PipelineMetric.AGGREGATOR_FIRINGS.description())
                                .tag("grain", tag)
                                .tag("firing", firing.name().toLowerCase(Locale.ROOT))
                                .register(registry));
            }
            for (Firing firing : List.of(Firing.EARLY, Firing.ON_TIME)) {
                freshness.put(
                        grain.name() + firing,
                        DistributionSummary.builder(PipelineMetric.AGGREGATOR_FRESHNESS.meterName())
                                .description(PipelineMetric.AGGREGATOR_FRESHNESS.description())
                                .baseUnit("milliseconds")
                                .tag("grain", tag)
                                .tag("firing", firing.name().toLowerCase(Locale.ROOT))
                                .serviceLevelObjectives(PipelineMetric.lagBucketsMs())
                                .register(registry));
            }
            late.put(grain.name(), counter(registry, PipelineMetric.AGGREGATOR_LATE_EVENTS, tag));
            tooLate.put(
                    grain.name(),
                    counter(registry, PipelineMetric.AGGREGATOR_TOO_LATE_EVENTS, tag));
        }
    }

    /**
     * @param freshnessMs emission time minus the newest event time in the row; recorded for the
     *     firings that carry new events to the dashboards (early and on time)
     */
    void fired(String grain, Firing firing, long freshnessMs) {
        firings.get(grain + firing).increment();
        DistributionSummary summary = freshness.get(grain + firing);
        if (summary != null) {
            summary.record(freshnessMs);
        }
    }

    void late(String grain, long events) {
        late.get(grain).increment(events);
    }

    void tooLate(String grain, long events) {
        tooLate.get(grain).increment(events);
    }

    private static Counter counter(MeterRegistry registry, PipelineMetric metric, String grain) {
        return Counter.builder(metric.meterName())
                .description(metric.description())
                .tag("grain", grain)
                .register(registry);
    }
}
