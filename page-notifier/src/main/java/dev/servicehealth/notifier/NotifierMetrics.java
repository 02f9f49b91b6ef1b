package dev.servicehealth.notifier;

import dev.servicehealth.model.catalog.PipelineMetric;
import dev.servicehealth.model.pager.AlertState;
import dev.servicehealth.model.pager.ScopePage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.function.Supplier;

/** The notifier's meters, named in the metric catalog. */
final class NotifierMetrics {
    enum Outcome {
        ACCEPTED,
        REFUSED,
        UNREACHABLE
    }

    private final MeterRegistry registry;
    private final Counter unreadable;
    private final Counter undecodableStatus;

    NotifierMetrics(MeterRegistry registry, Supplier<Number> openPages) {
        this.registry = registry;
        Gauge.builder(PipelineMetric.PAGER_OPEN_PAGES.meterName(), openPages)
                .description(PipelineMetric.PAGER_OPEN_PAGES.description())
                .register(registry);
        unreadable =
                Counter.builder(PipelineMetric.PAGER_UNREADABLE_PAGES.meterName())
                        .description(PipelineMetric.PAGER_UNREADABLE_PAGES.description())
                        .register(registry);
        undecodableStatus =
                Counter.builder(PipelineMetric.DEDUPED_UNDECODABLE.meterName())
                        .description(PipelineMetric.DEDUPED_UNDECODABLE.description())
                        .tag("job", "page-notifier")
                        .register(registry);
    }

    void unreadablePage() {
        unreadable.increment();
    }

    void undecodableStatus() {
        undecodableStatus.increment();
    }

    void posted(ScopePage page, Outcome outcome) {
        Counter.builder(PipelineMetric.PAGER_NOTIFICATIONS.meterName())
                .description(PipelineMetric.PAGER_NOTIFICATIONS.description())
                .tag("state", page.state() == AlertState.RESOLVED ? "resolved" : "firing")
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
    }

    void signalToPage(ScopePage page, long acceptedAtMs) {
        DistributionSummary.builder(PipelineMetric.PAGER_SIGNAL_TO_PAGE.meterName())
                .description(PipelineMetric.PAGER_SIGNAL_TO_PAGE.description())
                .baseUnit("milliseconds")
                .tag("severity", page.severity().name().toLowerCase(Locale.ROOT))
                .serviceLevelObjectives(PipelineMetric.lagBucketsMs())
                .register(registry)
                .record(Math.max(0, acceptedAtMs - page.startsAtMs()));
    }
}
