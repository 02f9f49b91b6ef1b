package dev.servicehealth.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servicehealth.aggregator.HealthPipelineFixture;
import dev.servicehealth.history.HistoryCatalog;
import dev.servicehealth.history.HistoryTable;
import dev.servicehealth.model.catalog.MetricCatalog;
import dev.servicehealth.simulator.GroundTruth;
import dev.servicehealth.simulator.LogicalRequest;
import dev.servicehealth.simulator.TopicNames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.catalog.Catalog;

/**
 * What the backfill's pipeline tests share: {@code ./backfill-range} run in process against a
 * {@link HealthPipelineFixture}'s topics, its report and the gold tables' snapshots, and the oracle
 * of the service rows a range must hold once everything in it is counted.
 */
final class BackfillRuns {
    /** The gold tables a backfill replaces. */
    static final List<HistoryTable> GOLD_KPI_TABLES =
            List.of(
                    HistoryTable.KPI_SERVICE,
                    HistoryTable.KPI_DRILLDOWN,
                    HistoryTable.KPI_SATURATION,
                    HistoryTable.KPI_TOO_LATE);

    private BackfillRuns() {}

    /** What one {@code ./backfill-range} printed and returned. */
    record Run(int exitCode, String out) {}

    static Run backfill(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code =
                BackfillCli.run(
                        all.toArray(String[]::new),
                        out,
                        out,
                        StreamExecutionEnvironment::getExecutionEnvironment);
        return new Run(code, bytes.toString(StandardCharsets.UTF_8));
    }

    /** The command's arguments for the pipeline's topics and the catalog, requested by "it". */
    static List<String> args(
            String bootstrapServers,
            HistoryCatalog catalog,
            Path keyFile,
            HealthPipelineFixture pipeline,
            BackfillRange range,
            String reason,
            int generation) {
        TopicNames raw = pipeline.rawTopicNames();
        HealthPipelineFixture.KpiTopics kpi = pipeline.kpi();
        return List.of(
                "--from", range.from().toString(),
                "--to", range.to().toString(),
                "--reason", reason,
                "--generation", Integer.toString(generation),
                "--requested-by", "it",
                "--bootstrap-servers", bootstrapServers,
                "--catalog-name", catalog.name(),
                "--catalog-uri", catalog.uri(),
                "--warehouse", catalog.warehouse(),
                "--tenant-key-file", keyFile.toString(),
                "--topic.reference", pipeline.normalized().reference(),
                "--topic.raw.gateway", raw.gateway(),
                "--topic.raw.auth", raw.auth(),
                "--topic.raw.metrics", raw.metrics(),
                "--topic.raw.status", raw.status(),
                "--topic.kpi.service", kpi.service(),
                "--topic.kpi.drilldown", kpi.drilldown(),
                "--topic.kpi.saturation", kpi.saturation(),
                "--metrics-port", "-1",
                "--parallelism", "2");
    }

    /** A table's entry of a diff report's JSON. */
    static JsonNode table(JsonNode report, HistoryTable table) {
        for (JsonNode node : report.get("tables")) {
            if (node.get("table").asText().equals(table.identifier().toString())) {
                return node;
            }
        }
        throw new AssertionError("no " + table + " in the report");
    }

    /** Each gold KPI table's current snapshot: what a backfill that changes nothing leaves. */
    static Map<HistoryTable, Long> snapshots(Catalog tables) {
        Map<HistoryTable, Long> snapshots = new LinkedHashMap<>();
        for (HistoryTable table : GOLD_KPI_TABLES) {
            snapshots.put(table, snapshot(tables, table).snapshotId());
        }
        return snapshots;
    }

    static Snapshot snapshot(Catalog tables, HistoryTable table) {
        return tables.loadTable(table.identifier()).currentSnapshot();
    }

    /**
     * Every distinct request of the range, too-late ones included, counted per service row by the
     * catalog's definitions: what the rows hold once nothing is left out.
     */
    static Map<List<Object>, long[]> fullOracle(GroundTruth truth, BackfillRange range) {
        Map<List<Object>, long[]> oracle = new LinkedHashMap<>();
        for (LogicalRequest request : truth.distinctRequests().values()) {
            long window = windowOf(request);
            if (range.contains(window)) {
                long[] counters =
                        oracle.computeIfAbsent(
                                key(request), k -> new long[MetricCatalog.COUNTERS.size()]);
                for (int i = 0; i < counters.length; i++) {
                    counters[i] += MetricCatalog.COUNTERS.get(i).of(request.toRequestEvent("t", 0));
                }
            }
        }
        return oracle;
    }

    /** The service rows of the range that hold a request {@code which} accepts. */
    static Set<List<Object>> keysWith(
            GroundTruth truth, BackfillRange range, Predicate<LogicalRequest> which) {
        Set<List<Object>> keys = new HashSet<>();
        for (LogicalRequest request : truth.distinctRequests().values()) {
            if (range.contains(windowOf(request)) && which.test(request)) {
                keys.add(key(request));
            }
        }
        return keys;
    }

    /** A request's service row: its window start, then the grain's dimensions. */
    static List<Object> key(LogicalRequest request) {
        return List.of(
                windowOf(request),
                request.region().name(),
                request.availabilityZone(),
                request.product(),
                request.service(),
                request.endpoint(),
                request.tenantTier().name());
    }

    static long windowOf(LogicalRequest request) {
        return Math.floorDiv(request.eventTimeMs(), 60_000) * 60_000;
    }
}
