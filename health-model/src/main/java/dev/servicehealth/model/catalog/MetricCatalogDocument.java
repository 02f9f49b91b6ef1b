package dev.servicehealth.model.catalog;

import dev.servicehealth.model.DeadLetterReason;
import dev.servicehealth.model.reference.ReferenceData;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Renders the metric catalog as docs/metrics.md. The build runs {@link #main} so the document is
 * regenerated from code on every build; CI fails when the committed copy differs.
 */
public final class MetricCatalogDocument {

    private MetricCatalogDocument() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: MetricCatalogDocument <output.md>");
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, render(), StandardCharsets.UTF_8);
    }

    public static String render() {
        StringBuilder md = new StringBuilder();
        md.append("# Metric definitions\n\n")
                .append(
                        "<!-- Generated from health-model's MetricCatalog by the build. Do not edit;")
                .append(" change the catalog. -->\n\n")
                .append(
                        "Every KPI is defined once, in `dev.servicehealth.model.catalog.MetricCatalog`.")
                .append(
                        " The aggregator computes from these definitions; the Pinot schemas and the")
                .append(" warehouse DDL are checked against them.\n\n");

        md.append(
                "## Status classes\n\n| class | statuses | counts as available |\n|---|---|---|\n");
        for (StatusClass c : StatusClass.values()) {
            md.append("| ")
                    .append(c.name().toLowerCase(java.util.Locale.ROOT))
                    .append(" | ")
                    .append(c.statuses())
                    .append(" | ")
                    .append(c.available() ? "yes" : "no")
                    .append(" |\n");
        }

        md.append("\n## Counters (additive: sum over any window and dimension set)\n\n")
                .append("| name | unit | what one event contributes |\n|---|---|---|\n");
        for (CounterKpi k : MetricCatalog.COUNTERS) {
            md.append("| `")
                    .append(k.name())
                    .append("` | ")
                    .append(k.unit())
                    .append(" | ")
                    .append(k.definition())
                    .append(" |\n");
        }

        md.append("\n## Ratios (divide the sums at query time, never average ratios)\n\n")
                .append("| name | definition |\n|---|---|\n");
        for (RatioKpi r : MetricCatalog.RATIOS) {
            md.append("| `")
                    .append(r.name())
                    .append("` | sum(`")
                    .append(r.numerator().name())
                    .append("`) / sum(`")
                    .append(r.denominator().name())
                    .append("`): ")
                    .append(r.definition())
                    .append(" |\n");
        }

        md.append("\n## Distributions (mergeable sketches; percentiles are never averaged)\n\n")
                .append("| name | unit | percentiles | events |\n|---|---|---|---|\n");
        for (DistributionKpi d : MetricCatalog.DISTRIBUTIONS) {
            md.append("| `")
                    .append(d.name())
                    .append("` | ")
                    .append(d.unit())
                    .append(" | ")
                    .append(
                            d.quantiles().stream()
                                    .map(q -> "P" + Math.round(q * 100))
                                    .collect(Collectors.joining(", ")))
                    .append(" | ")
                    .append(d.definition())
                    .append(" |\n");
        }

        md.append("\n## Saturation (from Prometheus remote-write samples)\n\n")
                .append("| name | metric | unit | aggregates | meaning |\n|---|---|---|---|---|\n");
        for (SaturationKpi s : MetricCatalog.SATURATION) {
            md.append("| `")
                    .append(s.name())
                    .append("` | `")
                    .append(s.metricName())
                    .append("` | ")
                    .append(s.unit())
                    .append(" | ")
                    .append(String.join(", ", s.aggregates()))
                    .append(" | ")
                    .append(s.definition())
                    .append(" |\n");
        }

        md.append("\n## Grains\n\n| grain | dimensions | purpose |\n|---|---|---|\n");
        for (Grain g : Grain.values()) {
            md.append("| ")
                    .append(g.name().toLowerCase(java.util.Locale.ROOT))
                    .append(" | ")
                    .append(String.join(" × ", g.dimensions()))
                    .append(" | ")
                    .append(g.purpose())
                    .append(" |\n");
        }

        renderObjectives(md, SloCatalog.of(ReferenceData.bundled().sloTargets()));

        md.append("\n## Dead-letter reasons\n\n| reason | meaning |\n|---|---|\n");
        for (DeadLetterReason r : DeadLetterReason.values()) {
            md.append("| `").append(r.code()).append("` | ").append(r.description()).append(" |\n");
        }

        md.append("\n## Pipeline health meters (Micrometer)\n\n")
                .append("| Micrometer name | Prometheus name | type | tags | meaning |\n")
                .append("|---|---|---|---|---|\n");
        for (PipelineMetric m : PipelineMetric.values()) {
            md.append("| `")
                    .append(m.meterName())
                    .append("` | `")
                    .append(m.prometheusName())
                    .append("` | ")
                    .append(m.type())
                    .append(" | ")
                    .append(String.join(", ", m.tags()))
                    .append(" | ")
                    .append(m.description())
                    .append(" |\n");
        }
        md.append(
                "\nEach task manager serves these on `/metrics` at the job's `metrics-port`. The"
                        + " `flink.*` gauges are Flink's own metrics, bridged by the reporter"
                        + " `dev.servicehealth.runtime.FlinkMetricsBridgeFactory`, configured per"
                        + " cluster: `metrics.reporter.pipeline.factory.class` set to that class, and"
                        + " `metrics.reporter.pipeline.port` / `.bind-address` for the job manager's"
                        + " own endpoint (task managers share the jobs' endpoint). The RocksDB gauges"
                        + " need the job's native-metric options, which the dedup job sets; Flink"
                        + " refreshes them every 5 s.\n");
        return md.toString();
    }

    private static void renderObjectives(StringBuilder md, List<ServiceLevelObjective> slos) {
        md.append("\n## Service level objectives (from seeds/slo-targets.csv)\n\n")
                .append(
                        "Defined in `dev.servicehealth.model.catalog.SloCatalog`; the pager burns"
                                + " them per scope.\n\n")
                .append("| objective | target | error budget | a good event |\n")
                .append("|---|---|---|---|\n");
        for (ServiceLevelObjective slo : slos) {
            md.append("| `")
                    .append(slo.id())
                    .append("` | ")
                    .append(percent(slo.objective()))
                    .append(" | ")
                    .append(percent(slo.errorBudget()))
                    .append(" | ")
                    .append(slo.definition())
                    .append(" |\n");
        }
        md.append("\n### Burn-rate alerts (`BurnRateRule`)\n\n")
                .append(
                        "A pair trips when the error ratio over both windows is at least the"
                                + " threshold: the burn rate times the error budget, and at least"
                                + " the minimum error ratio; the long window must hold the minimum"
                                + " events, and enough of them for the threshold to stand for "
                                + BurnRateRule.MIN_BAD_AT_THRESHOLD
                                + " bad events, and the short window enough for it to stand for one;"
                                + " a window without events never trips it.\n\n")
                .append(
                        "| pair | raises | long window | short window | burn rate | minimum error"
                                + " ratio | minimum events |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (BurnRateRule rule : BurnRateRule.ALL) {
            md.append("| ")
                    .append(rule.name())
                    .append(" | ")
                    .append(rule.severity().name().toLowerCase(Locale.ROOT))
                    .append(" | ")
                    .append(duration(rule.longWindow()))
                    .append(" | ")
                    .append(duration(rule.shortWindow()))
                    .append(" | ")
                    .append(rule.burnRate())
                    .append(" | ")
                    .append(percent(rule.minErrorRatio()))
                    .append(" | ")
                    .append(rule.minEvents())
                    .append(" |\n");
        }
        md.append(
                        "\nSeconds from the start of a total outage (every event bad, steady"
                                + " traffic before it) until each page pair trips, before the"
                                + " pipeline's own latency; - where it never does:\n\n")
                .append("| objective |");
        List<BurnRateRule> pages =
                BurnRateRule.ALL.stream()
                        .filter(r -> r.severity() == BurnRateRule.Severity.PAGE)
                        .toList();
        pages.forEach(r -> md.append(' ').append(r.name()).append(" |"));
        md.append("\n|---|").append("---|".repeat(pages.size())).append('\n');
        for (ServiceLevelObjective slo : slos) {
            md.append("| `").append(slo.id()).append("` |");
            for (BurnRateRule rule : pages) {
                md.append(' ')
                        .append(
                                rule.timeToTrip(slo, 1)
                                        .map(
                                                d ->
                                                        String.format(
                                                                Locale.ROOT,
                                                                "%.1f",
                                                                d.toMillis() / 1e3))
                                        .orElse("-"))
                        .append(" |");
            }
            md.append('\n');
        }
    }

    private static String percent(double share) {
        return String.format(
                Locale.ROOT,
                "%s %%",
                BigDecimal.valueOf(share * 100)
                        .setScale(4, RoundingMode.HALF_EVEN)
                        .stripTrailingZeros()
                        .toPlainString());
    }

    private static String duration(Duration d) {
        if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
            return d.toDays() + " d";
        }
        if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
            return d.toHours() + " h";
        }
        if (d.toMinutes() > 0 && d.equals(Duration.ofMinutes(d.toMinutes()))) {
            return d.toMinutes() + " min";
        }
        return d.toSeconds() + " s";
    }
}
