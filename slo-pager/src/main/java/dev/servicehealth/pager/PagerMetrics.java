package dev.servicehealth.pager;

import dev.servicehealth.model.catalog.BurnRateRule;
import dev.servicehealth.model.catalog.PipelineMetric;
import dev.servicehealth.model.pager.AlertState;
import dev.servicehealth.model.pager.ScopePage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pager's meters, of its evaluator and its page selection; names from {@link PipelineMetric}.
 */
final class PagerMetrics {
    private final Map<String, Counter> alerts = new HashMap<>();
    private final Map<String, Counter> guarded = new HashMap<>();
    private final Map<String, Counter> repeatsHeld = new HashMap<>();
    private final Map<String, Counter> pages = new HashMap<>();
    private final Counter suppressed;
    private final Counter late;
    private final Counter beyondWindow;

    PagerMetrics(MeterRegistry registry) {
        for (BurnRateRule.Severity severity : BurnRateRule.Severity.values()) {
            for (AlertState state : AlertState.values()) {
                alerts.put(
                        severity.name() + state.name(),
                        Counter.builder(PipelineMetric.PAGER_ALERTS.meterName())
                                .description(PipelineMetric.PAGER_ALERTS.description())
                                .tag("severity", severity.name().toLowerCase(Locale.ROOT))
                                .tag("state", state.name().toLowerCase(Locale.ROOT))
                                .register(registry));
            }
            repeatsHeld.put(
                    severity.name(),
                    Counter.builder(PipelineMetric.PAGER_REPEATS_HELD.meterName())
                            .description(PipelineMetric.PAGER_REPEATS_HELD.description())
                            .tag("severity", severity.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
        for (BurnRateRule rule : BurnRateRule.ALL) {
            guarded.put(
                    rule.name(),
                    Counter.builder(PipelineMetric.PAGER_GUARDED_WINDOWS.meterName())
                            .description(PipelineMetric.PAGER_GUARDED_WINDOWS.description())
                            .tag("pair", rule.name())
                            .register(registry));
        }
        for (BurnRateRule.Severity severity : BurnRateRule.Severity.values()) {
            for (AlertState state : List.of(AlertState.FIRING, AlertState.RESOLVED)) {
                pages.put(
                        severity.name() + state.name(),
                        Counter.builder(PipelineMetric.PAGER_PAGES.meterName())
                                .description(PipelineMetric.PAGER_PAGES.description())
                                .tag("severity", severity.name().toLowerCase(Locale.ROOT))
                                .tag("state", state.name().toLowerCase(Locale.ROOT))
                                .register(registry));
            }
        }
        suppressed =
                Counter.builder(PipelineMetric.PAGER_SUPPRESSED.meterName())
                        .description(PipelineMetric.PAGER_SUPPRESSED.description())
                        .register(registry);
        late =
                Counter.builder(PipelineMetric.PAGER_LATE_EVENTS.meterName())
                        .description(PipelineMetric.PAGER_LATE_EVENTS.description())
                        .register(registry);
        beyondWindow =
                Counter.builder(PipelineMetric.PAGER_EVENTS_BEYOND_WINDOW.meterName())
                        .description(PipelineMetric.PAGER_EVENTS_BEYOND_WINDOW.description())
                        .register(registry);
    }

    void alert(SloAlert alert) {
        alerts.get(alert.severity().name() + alert.state().name()).increment();
    }

    void page(ScopePage page) {
        pages.get(page.severity().name() + page.state().name()).increment();
    }

    void suppressed(int burns) {
        suppressed.increment(burns);
    }

    void guarded(BurnRateRule rule) {
        guarded.get(rule.name()).increment();
    }

    void repeatHeld(BurnRateRule.Severity severity) {
        repeatsHeld.get(severity.name()).increment();
    }

    void late(long events) {
        late.increment(events);
    }

    void beyondWindow(long events) {
        beyondWindow.increment(events);
    }
}
