package dev.servicehealth.backfill;

import static dev.servicehealth.backfill.BackfillRuns.args;
import static dev.servicehealth.backfill.BackfillRuns.backfill;
import static dev.servicehealth.backfill.BackfillRuns.fullOracle;
import static dev.servicehealth.backfill.BackfillRuns.keysWith;
import static dev.servicehealth.backfill.BackfillRuns.snapshot;
import static dev.servicehealth.backfill.BackfillRuns.snapshots;
import static dev.servicehealth.backfill.BackfillRuns.table;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servicehealth.aggregator.HealthPipelineFixture;
import dev.servicehealth.backfill.BackfillRuns.Run;
import dev.servicehealth.history.HistoryCatalog;
import dev.servicehealth.history.HistoryRows;
import dev.servicehealth.history.HistoryTable;
import dev.servicehealth.history.IcebergSinkFixture;
import dev.servicehealth.history.IcebergSinkJob;
import dev.servicehealth.model.catalog.CounterKpi;
import dev.servicehealth.model.catalog.Grain;
import dev.servicehealth.model.catalog.KpiVersion;
import dev.servicehealth.model.catalog.MetricCatalog;
import dev.servicehealth.model.catalog.PipelineMetric;
import dev.servicehealth.model.privacy.TenantKeyFile;
import dev.servicehealth.simulator.Dirt;
import dev.servicehealth.simulator.DirtRates;
import dev.servicehealth.simulator.GroundTruth;
import dev.servicehealth.simulator.Lateness;
import dev.servicehealth.simulator.Scenario;
import dev.servicehealth.simulator.SimulatorConfig;
import dev.servicehealth.simulator.TrafficSimulator;
import dev.servicehealth.testing.SharedKafkaBroker;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backfill against the stream, on the same traffic (the EMEA auth outage: retries, late and
 * too-late events, malformed lines) through the real normalizer, dedup job, aggregator and
 * iceberg-sink on a real broker and catalog; then {@code ./backfill-range} over the traffic's
 * range, as a dry run, applied, and applied again.
 *
 * <p>Batch equals streaming: the first backfill's diff holds exactly the rows of the events the
 * stream counted as beyond the lateness bound, every other row of the range computes to what the
 * stream wrote. Afterwards gold's service rows equal the oracle with those events counted, the
 * too-late counts of the range are gone, the service upsert topic holds each row in the backfill's
 * generation and version, and a second backfill reports an empty diff and leaves every gold KPI
 * table at its snapshot.
 */
class BackfillITCase {
    private static final int PARTITIONS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration QUIET = Duration.ofSeconds(15);

    @RegisterExtension static final SharedKafkaBroker KAFKA = new SharedKafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(8)
                            .setConfiguration(new Configuration())
                            .build());

    @TempDir Path tmp;

    @BeforeAll
    static void countMeters() {
        Metrics.addRegistry(new SimpleMeterRegistry());
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aBackfillRepairsWhatCameTooLateAndChangesNothingElseNorTwice() throws Exception {
        Path keyFile = tmp.resolve("tenant.key");
        TenantKeyFile.writeRandom(keyFile);
        HealthPipelineFixture.KpiTopics kpi =
                HealthPipelineFixture.KpiTopics.create(KAFKA, PARTITIONS);
        HealthPipelineFixture pipeline =
                HealthPipelineFixture.start(KAFKA, PARTITIONS, kpi, keyFile);
        HistoryCatalog catalog = HistoryCatalog.inDirectory("it", tmp);
        IcebergSinkJob.prepareTables(catalog, true);
        JobClient sink =
                IcebergSinkFixture.startFor(
                        KAFKA.bootstrapServers(),
                        catalog,
                        pipeline,
                        "it-backfill-" + pipeline.kpi().history());

        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(40));
        TrafficSimulator.Generation traffic =
                TrafficSimulator.generate(
                        SimulatorConfig.builder()
                                .seed(15L)
                                .scenario(Scenario.EMEA_AUTH_OUTAGE)
                                .start(start)
                                .duration(Duration.ofMinutes(20))
                                .eventsPerSecond(20)
                                // ten times the default: enough too-late events to repair
                                .dirt(DirtRates.defaults().with(Dirt.BEYOND_BOUND, 0.005))
                                .topics(pipeline.rawTopicNames())
                                .build());
        GroundTruth truth = traffic.groundTruth();
        pipeline.play(traffic.records());

        KAFKA.drainUntilQuiet(kpi.service(), QUIET, Duration.ofMinutes(2), true);
        List<ConsumerRecord<byte[], byte[]>> finalRows = drainAll(kpi.history());
        Catalog tables = catalog.open();
        try {
            for (Grain grain : Grain.values()) {
                HistoryRows.awaitCommitted(
                        tables,
                        HistoryTable.finalRowsOf(grain),
                        finalRows.stream().filter(r -> grainOf(r) == grain).count());
            }
            HistoryRows.awaitCommitted(
                    tables, HistoryTable.KPI_TOO_LATE, drainAll(kpi.tooLate()).size());
            HistoryRows.awaitCommitted(
                    tables,
                    HistoryTable.RAW_RECORDS,
                    traffic.records().size() + pipeline.emptyRecordsAfterTheTraffic());
        } finally {
            sink.cancel().get();
            pipeline.close();
        }

        // from the earliest too-late event's window (at most 30 min late) to the traffic's end
        BackfillRange range =
                new BackfillRange(
                        start.minus(Lateness.MAX_BEYOND_BOUND), start.plus(Duration.ofMinutes(20)));
        List<String> args =
                args(
                        KAFKA.bootstrapServers(),
                        catalog,
                        keyFile,
                        pipeline,
                        range,
                        "too-late events of the EMEA auth outage",
                        1);

        Map<HistoryTable, Long> streamed = snapshots(tables);
        Map<List<Object>, Map<String, Object>> streamedService =
                rows(tables, HistoryTable.KPI_SERVICE, range);

        Path dryRunReport = tmp.resolve("dry-run.json");
        Run dryRun = backfill(args, "--dry-run", "--report-json", dryRunReport.toString());
        assertThat(dryRun.exitCode()).as(dryRun.out()).isZero();
        assertThat(snapshots(tables)).as("a dry run changes nothing").isEqualTo(streamed);
        JsonNode report = JSON.readTree(Files.readString(dryRunReport));
        assertThat(report.get("empty").asBoolean()).isFalse();

        Map<List<Object>, long[]> oracle = fullOracle(truth, range);
        Set<List<Object>> tooLateKeys =
                keysWith(truth, range, r -> r.lateness() == Lateness.BEYOND_BOUND);
        assertThat(tooLateKeys).as("the traffic has events beyond the bound").isNotEmpty();
        JsonNode service = table(report, HistoryTable.KPI_SERVICE);
        assertThat(service.get("changed").asLong() + service.get("added").asLong())
                .as(
                        "the diff lists the service rows the too-late events change, and no"
                                + " other:%n%s",
                        dryRun.out())
                .isEqualTo(tooLateKeys.size());
        assertThat(service.get("removed").asLong()).isZero();
        assertThat(service.get("unchanged").asLong() + service.get("restamped").asLong())
                .as("every other row: batch computes what the stream wrote")
                .isEqualTo(streamedService.size() - service.get("changed").asLong());
        for (List<Object> key : streamedService.keySet()) {
            if (!tooLateKeys.contains(key)) {
                assertThat(counters(streamedService.get(key)))
                        .as("the stream's row %s equals the oracle", key)
                        .containsExactly(oracle.get(key));
            }
        }

        Run applied = backfill(args);
        assertThat(applied.exitCode()).as(applied.out()).isZero();
        assertThat(applied.out()).contains("applied", "verified");
        Map<List<Object>, Map<String, Object>> backfilled =
                rows(tables, HistoryTable.KPI_SERVICE, range);
        assertThat(backfilled.keySet()).isEqualTo(oracle.keySet());
        for (Map.Entry<List<Object>, long[]> expected : oracle.entrySet()) {
            Map<String, Object> row = backfilled.get(expected.getKey());
            assertThat(counters(row))
                    .as("%s, too-late events counted", expected.getKey())
                    .containsExactly(expected.getValue());
            assertThat(row.get("generation")).isEqualTo(1);
            assertThat(row.get("version")).isEqualTo(KpiVersion.backfilled(1));
        }
        assertThat(rows(tables, HistoryTable.KPI_TOO_LATE, range))
                .as("the range's too-late counts are repaired, so gone")
                .isEmpty();
        assertThat(snapshot(tables, HistoryTable.KPI_SERVICE).summary())
                .containsEntry("backfill.generation", "1")
                .containsEntry("backfill.reason", "too-late events of the EMEA auth outage")
                .containsKey("backfill.id");
        assertThat(
                        HistoryRows.committedRows(
                                tables.loadTable(HistoryTable.TENANT_USAGE_DAILY.identifier())))
                .as("the daily usage of the range's days, recomputed")
                .isPositive();
        assertUpserts(kpi.service(), oracle.size(), range);

        Map<HistoryTable, Long> afterFirst = snapshots(tables);
        // the second time in halves, as the DAG runs it on a cluster: stage, compute (there the
        // Flink Kubernetes operator's job), diff, apply what was approved, verify
        Run stage = backfill(args, "--stage-only");
        assertThat(stage.exitCode()).as(stage.out()).isZero();
        String id =
                stage.out()
                        .lines()
                        .filter(l -> l.startsWith("backfill-id="))
                        .findFirst()
                        .orElseThrow()
                        .substring("backfill-id=".length());
        assertThat(backfill(args, "--stage-only").exitCode())
                .as("one backfill at a time")
                .isEqualTo(BackfillCli.LOCKED);
        assertThat(backfill(args, "--compute", id).exitCode()).isZero();
        Path secondReport = tmp.resolve("second.json");
        Run diff = backfill(args, "--diff", id, "--report-json", secondReport.toString());
        assertThat(diff.exitCode()).as(diff.out()).isZero();
        assertThat(diff.out()).contains("no change");
        String digest = JSON.readTree(Files.readString(secondReport)).get("digest").asText();
        Run again = backfill(args, "--apply", id, "--approved-digest", digest);
        assertThat(again.exitCode()).as(again.out()).isZero();
        assertThat(again.out()).contains("unchanged");
        assertThat(snapshots(tables))
                .as("a second backfill leaves every table")
                .isEqualTo(afterFirst);
        Run verified = backfill(args, "--verify", id);
        assertThat(verified.exitCode()).as(verified.out()).isZero();
        assertThat(verified.out()).contains("0 of an older generation");

        List<Record> runs = BackfillRecords.all(tables);
        assertThat(runs.stream().map(r -> r.getField("outcome")))
                .containsExactly("unchanged", "diffed", "locked", "applied", "dry_run");
        assertThat(runs.get(3).getField("diff_json").toString()).contains("gold.kpi_service");
        assertThat(runs.get(3).getField("requested_by")).isEqualTo("it");
        assertThat(
                        Metrics.globalRegistry
                                .find(PipelineMetric.BACKFILL_EVENTS_BEYOND_LATENESS.meterName())
                                .counters()
                                .stream()
                                .mapToDouble(c -> c.count())
                                .sum())
                .as("the events the stream found too late, counted")
                .isPositive();
        ((AutoCloseable) tables).close();
    }

    /** The range's upserts of the service grain: each key once more, in generation 1. */
    private static void assertUpserts(String topic, int keys, BackfillRange range) {
        Map<String, JsonNode> newest = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : drainAll(topic)) {
            JsonNode row = json(record.value());
            if (range.contains(row.get("window_start").asLong())) {
                newest.merge(
                        new String(record.key(), StandardCharsets.UTF_8),
                        row,
                        (a, b) -> b.get("version").asLong() >= a.get("version").asLong() ? b : a);
            }
        }
        assertThat(newest).hasSize(keys);
        assertThat(newest.values())
                .allSatisfy(
                        row -> {
                            assertThat(row.get("generation").asInt()).isEqualTo(1);
                            assertThat(row.get("version").asLong())
                                    .isEqualTo(KpiVersion.backfilled(1));
                        });
    }

    private static long[] counters(Map<String, Object> row) {
        long[] counters = new long[MetricCatalog.COUNTERS.size()];
        for (int i = 0; i < counters.length; i++) {
            CounterKpi counter = MetricCatalog.COUNTERS.get(i);
            counters[i] = (Long) row.get(counter.name());
        }
        return counters;
    }

    /** The range's rows of a gold table by key (window start in ms, then the dimensions). */
    private static Map<List<Object>, Map<String, Object>> rows(
            Catalog tables, HistoryTable table, BackfillRange range) {
        Map<List<Object>, Map<String, Object>> rows = new HashMap<>();
        List<String> keyColumns = GoldDiff.keyColumns(table);
        for (Record record : HistoryRows.read(tables.loadTable(table.identifier()))) {
            long window = GoldDiff.millis(record.getField("window_start"));
            if (!range.contains(window)) {
                continue;
            }
            List<Object> key = new ArrayList<>();
            for (String column : keyColumns) {
                Object value = record.getField(column);
                key.add(value instanceof OffsetDateTime ? window : value);
            }
            Map<String, Object> values = new HashMap<>();
            record.struct().fields().forEach(f -> values.put(f.name(), record.getField(f.name())));
            assertThat(rows.put(key, values)).as("a second %s row of %s", table, key).isNull();
        }
        return rows;
    }

    private static Grain grainOf(ConsumerRecord<byte[], byte[]> record) {
        return Grain.valueOf(
                json(record.value()).get("grain").asText().toUpperCase(java.util.Locale.ROOT));
    }

    private static JsonNode json(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> drainAll(String topic) {
        return KAFKA.drainUntilQuiet(topic, Duration.ofSeconds(3), Duration.ofMinutes(1), true);
    }
}
