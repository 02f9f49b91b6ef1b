package dev.servicehealth.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servicehealth.localalertmanager.AlertReceiver;
import dev.servicehealth.model.catalog.PipelineMetric;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The terminal view of the local run: per-second rates since the previous frame and totals, read
 * from the same Micrometer meters a Prometheus scrape shows.
 */
final class LiveView {
    private final MeterRegistry registry;
    private final Map<String, Double> previous = new HashMap<>();
    private long previousAtMs;

    LiveView(MeterRegistry registry) {
        this.registry = registry;
    }

    String frame(long nowMs, String simulatorStatus) {
        double seconds = previousAtMs == 0 ? 0 : (nowMs - previousAtMs) / 1000.0;
        previousAtMs = nowMs;
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%n── %tT ── %s%n", nowMs, simulatorStatus));
        out.append(line("records in/s ", PipelineMetric.NORMALIZER_RECORDS_IN, "source", seconds));
        out.append(line("events out/s ", PipelineMetric.NORMALIZER_EVENTS_OUT, "kind", seconds));
        Map<String, Double> deadByReason = totals(PipelineMetric.NORMALIZER_DEAD_LETTERS, "reason");
        out.append("dead letters  ");
        if (deadByReason.isEmpty()) {
            out.append("none");
        }
        deadByReason.forEach(
                (reason, count) ->
                        out.append(String.format(Locale.ROOT, "%s %.0f  ", reason, count)));
        out.append('\n');
        out.append("event lag p95 ");
        for (DistributionSummary lag :
                registry.find(PipelineMetric.NORMALIZER_EVENT_LAG.meterName()).summaries()) {
            HistogramSnapshot snapshot = lag.takeSnapshot();
            if (snapshot.count() > 0) {
                out.append(
                        String.format(
                                Locale.ROOT,
                                "%s %s  ",
                                lag.getId().getTag("source"),
                                p95Bound(snapshot)));
            }
        }
        out.append('\n');
        out.append(line("dedup out/s  ", PipelineMetric.DEDUP_EVENTS_OUT, "kind", seconds));
        out.append(
                line(
                        "retries dropped/s ",
                        PipelineMetric.DEDUP_DUPLICATES_DROPPED,
                        "source",
                        seconds));
        double conflicts =
                totals(PipelineMetric.DEDUP_CONFLICTS, "source").values().stream()
                        .mapToDouble(Double::doubleValue)
                        .sum();
        out.append(
                String.format(
                        Locale.ROOT,
                        "dedup state  %,.0f keys, %.1f MB; conflicts %.0f; last checkpoint %s%n",
                        gaugeSum(PipelineMetric.FLINK_STATE_KEYS),
                        (gaugeSum(PipelineMetric.FLINK_STATE_SST_FILES_SIZE)
                                        + gaugeSum(PipelineMetric.FLINK_STATE_MEMTABLES_SIZE))
                                / 1e6,
                        conflicts,
                        checkpointDurations()));
        out.append(line("KPI rows/s   ", PipelineMetric.AGGREGATOR_FIRINGS, "firing", seconds));
        out.append(
                String.format(
                        Locale.ROOT,
                        "late events  within bound %.0f, too late %.0f; freshness p95 %s%n",
                        sum(PipelineMetric.AGGREGATOR_LATE_EVENTS),
                        sum(PipelineMetric.AGGREGATOR_TOO_LATE_EVENTS),
                        freshnessP95()));
        out.append(
                String.format(
                        Locale.ROOT,
                        "pager        events %.0f, pages %.0f firing %.0f resolved; signal to page"
                                + " p95 %s%n",
                        sum(PipelineMetric.PAGER_EVENTS),
                        pages("firing"),
                        pages("resolved"),
                        signalToPageP95()));
        return out.toString();
    }

    /**
     * The alerts Alertmanager holds ({@code GET /api/v2/alerts}), one line each: severity, where,
     * since when, what burns.
     */
    static String activeAlerts(JsonNode alerts) {
        if (alerts.isEmpty()) {
            return "alerts       none active\n";
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode alert : alerts) {
            JsonNode labels = alert.path("labels");
            out.append(
                    String.format(
                            Locale.ROOT,
                            "alert        %s %s %s since %s: %s%n",
                            labels.path("severity").asText().toUpperCase(Locale.ROOT),
                            labels.path("level").asText(),
                            labels.path("scope").asText(),
                            alert.path("startsAt").asText(),
                            alert.path("annotations").path("summary").asText()));
        }
        return out.toString();
    }

    /**
     * Per page, when Alertmanager first notified it as firing, counted from the event time its burn
     * began (the alert's {@code startsAt}): signal to page, as the person paged sees it.
     */
    static String notifiedPages(List<AlertReceiver.Received> webhook) {
        Map<String, String> first = new LinkedHashMap<>();
        for (AlertReceiver.Received notification : webhook) {
            if (!notification.body().path("status").asText().equals("firing")) {
                continue;
            }
            for (JsonNode alert : notification.body().path("alerts")) {
                String page = alert.path("labels").path("page").asText();
                long startsAt = Instant.parse(alert.path("startsAt").asText()).toEpochMilli();
                first.putIfAbsent(
                        page,
                        String.format(
                                Locale.ROOT,
                                "notified    %s %.1f s after its burn began%n",
                                page,
                                (notification.receivedAtMs() - startsAt) / 1e3));
            }
        }
        return String.join("", first.values());
    }

    private double pages(String state) {
        return registry
                .find(PipelineMetric.PAGER_PAGES.meterName())
                .tag("state", state)
                .counters()
                .stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private String signalToPageP95() {
        DistributionSummary page =
                registry.find(PipelineMetric.PAGER_SIGNAL_TO_PAGE.meterName())
                        .tag("severity", "page")
                        .summary();
        if (page == null || page.count() == 0) {
            return "no page yet";
        }
        return p95Bound(page.takeSnapshot());
    }

    private double sum(PipelineMetric metric) {
        return registry.find(metric.meterName()).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    /** Early rows of the service grain: what the dashboards show while a minute is open. */
    private String freshnessP95() {
        DistributionSummary early =
                registry.find(PipelineMetric.AGGREGATOR_FRESHNESS.meterName())
                        .tags("grain", "service", "firing", "early")
                        .summary();
        if (early == null || early.count() == 0) {
            return "none yet";
        }
        return p95Bound(early.takeSnapshot());
    }

    private double gaugeSum(PipelineMetric metric) {
        return registry.find(metric.meterName()).gauges().stream()
                .mapToDouble(Gauge::value)
                .filter(v -> !Double.isNaN(v))
                .sum();
    }

    /** The last checkpoint duration per job, as Flink reports it (-1 before the first). */
    private String checkpointDurations() {
        StringBuilder out = new StringBuilder();
        for (Gauge gauge :
                registry.find(PipelineMetric.FLINK_CHECKPOINT_DURATION.meterName()).gauges()) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "%s %.0f ms  ",
                            gauge.getId().getTag("job"),
                            gauge.value()));
        }
        return out.length() == 0 ? "none yet" : out.toString().trim();
    }

    /**
     * The smallest histogram bucket holding 95 % of the recent events: an upper bound of the P95.
     * Micrometer's bucket counts cover the last two minutes while {@code count()} covers the whole
     * run, so the share is taken of the largest bucket (30 min; beyond it nothing is fresh anyway).
     */
    private static String p95Bound(HistogramSnapshot snapshot) {
        CountAtBucket[] buckets = snapshot.histogramCounts();
        double recent = buckets.length == 0 ? 0 : buckets[buckets.length - 1].count();
        if (recent == 0) {
            return "none recently";
        }
        int at = 0;
        while (buckets[at].count() < 0.95 * recent) {
            at++; // ends at the largest bucket at the latest, which holds them all
        }
        return String.format(Locale.ROOT, "≤ %.0f s", buckets[at].bucket() / 1000.0);
    }

    private String line(String label, PipelineMetric metric, String tag, double seconds) {
        StringBuilder out = new StringBuilder(label);
        for (Map.Entry<String, Double> e : totals(metric, tag).entrySet()) {
            String key = metric.meterName() + "/" + e.getKey();
            double before = previous.getOrDefault(key, 0.0);
            previous.put(key, e.getValue());
            double rate = seconds > 0 ? (e.getValue() - before) / seconds : 0;
            out.append(
                    String.format(Locale.ROOT, "%s %.0f (%.0f)  ", e.getKey(), rate, e.getValue()));
        }
        return out.append('\n').toString();
    }

    private Map<String, Double> totals(PipelineMetric metric, String tag) {
        Map<String, Double> totals = new TreeMap<>();
        for (Counter counter : registry.find(metric.meterName()).counters()) {
            if (counter.count() > 0) {
                totals.merge(counter.getId().getTag(tag), counter.count(), Double::sum);
            }
        }
        return totals;
    }
}
