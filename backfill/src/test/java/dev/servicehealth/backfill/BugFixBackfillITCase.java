package dev.servicehealth.backfill;

import static dev.servicehealth.backfill.BackfillRuns.args;
import static dev.servicehealth.backfill.BackfillRuns.backfill;
import static dev.servicehealth.backfill.BackfillRuns.fullOracle;
import static dev.servicehealth.backfill.BackfillRuns.key;
import static dev.servicehealth.backfill.BackfillRuns.keysWith;
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
import dev.servicehealth.localpinot.PinotCluster;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.RequestSource;
import dev.servicehealth.model.catalog.CounterKpi;
import dev.servicehealth.model.catalog.KpiVersion;
import dev.servicehealth.model.catalog.MetricCatalog;
import dev.servicehealth.model.catalog.StatusClass;
import dev.servicehealth.model.privacy.TenantKeyFile;
import dev.servicehealth.model.privacy.TenantTokenizer;
import dev.servicehealth.serving.IncidentQueryOracle;
import dev.servicehealth.serving.PinotBroker;
import dev.servicehealth.serving.QueryResult;
import dev.servicehealth.serving.ServingTablesFixture;
import dev.servicehealth.simulator.Dirt;
import dev.servicehealth.simulator.DirtRates;
import dev.servicehealth.simulator.GroundTruth;
import dev.servicehealth.simulator.Lateness;
import dev.servicehealth.simulator.LogicalRequest;
import dev.servicehealth.simulator.Scenario;
import dev.servicehealth.simulator.SimulatorConfig;
import dev.servicehealth.simulator.TrafficSimulator;
import dev.servicehealth.testing.SharedKafkaBroker;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repair a backfill is for, end to end on a real broker, a real Pinot and a real catalog: a
 * release of the aggregator counts 429 as available, the EMEA auth outage (which throttles) runs
 * through it into Pinot and gold; the fix is deployed (a new aggregator, generation 1, restored
 * from the wrong one's savepoint) and the range backfilled. Afterwards every KPI query of the
 * incident catalog Pinot answers, and every service row in Pinot and gold, equals the oracle under
 * the fixed definition, too-late events included; the first diff lists exactly the rows the bug and
 * the too-late events changed; a second backfill changes nothing; and the streaming job, restarted
 * and given new traffic, writes its new windows in generation 1 and never overwrites a backfilled
 * row.
 */
class BugFixBackfillITCase {
    private static final int PARTITIONS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TRAFFIC = Duration.ofMinutes(15);

    /** The wrong release: successes count 429 as available. */
    private static final List<CounterKpi> COUNTING_429_AS_AVAILABLE =
            MetricCatalog.COUNTERS.stream()
                    .map(
                            counter ->
                                    counter != MetricCatalog.SUCCESSES
                                            ? counter
                                            : new CounterKpi(
                                                    counter.name(),
                                                    counter.unit(),
                                                    "gateway requests answered 2xx to 4xx, 429"
                                                            + " included (the bug)",
                                                    e ->
                                                            e.source() == RequestSource.GATEWAY
                                                                            && (StatusClass.of(
                                                                                                    e
                                                                                                            .httpStatus())
                                                                                            .available()
                                                                                    || e
                                                                                                    .httpStatus()
                                                                                            == 429)
                                                                    ? 1
                                                                    : 0))
                    .toList();

    @RegisterExtension static final SharedKafkaBroker KAFKA = new SharedKafkaBroker();

    /** Four streaming jobs at parallelism 2, and the backfill's batch jobs beside them. */
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(12)
                            .setConfiguration(new Configuration())
                            .build());

    @TempDir static Path pinotDir;
    @TempDir Path tmp;

    private static PinotCluster pinot;

    @BeforeAll
    static void start() throws IOException {
        Metrics.addRegistry(new SimpleMeterRegistry());
        pinot = PinotCluster.start(pinotDir);
    }

    @AfterAll
    static void stop() {
        pinot.close();
    }

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void aFixedDefinitionBackfilledRepairsPinotAndGoldAndTheStreamNeverUndoesIt() throws Exception {
        Path keyFile = tmp.resolve("tenant.key");
        TenantKeyFile.writeRandom(keyFile);
        TenantTokenizer tokenizer = TenantKeyFile.read(keyFile);
        HealthPipelineFixture.KpiTopics kpi =
                HealthPipelineFixture.KpiTopics.create(KAFKA, PARTITIONS);
        HealthPipelineFixture pipeline =
                HealthPipelineFixture.start(
                        KAFKA, PARTITIONS, kpi, keyFile, COUNTING_429_AS_AVAILABLE, 0);
        ServingTablesFixture.deployFor(
                pinot,
                KAFKA.bootstrapServers(),
                pipeline,
                tmp.resolve("service_health_events.desc"),
                PARTITIONS);
        HistoryCatalog catalog = HistoryCatalog.inDirectory("it", tmp);
        IcebergSinkJob.prepareTables(catalog, true);
        JobClient sink =
                IcebergSinkFixture.startFor(
                        KAFKA.bootstrapServers(),
                        catalog,
                        pipeline,
                        "it-bugfix-" + pipeline.kpi().history());
        PinotBroker broker = new PinotBroker(pinot.broker(), Duration.ofSeconds(10));

        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(60));
        GroundTruth truth =
                play(
                        pipeline,
                        SimulatorConfig.builder()
                                .seed(17L)
                                .scenario(Scenario.EMEA_AUTH_OUTAGE)
                                .start(start)
                                .duration(TRAFFIC)
                                .eventsPerSecond(20)
                                .dirt(DirtRates.defaults().with(Dirt.BEYOND_BOUND, 0.005)));
        BackfillRange range =
                new BackfillRange(start.minus(Lateness.MAX_BEYOND_BOUND), start.plus(TRAFFIC));
        awaitTheStream(kpi, catalog);
        Map<List<Object>, long[]> oracle = fullOracle(truth, range);
        Set<List<Object>> throttled =
                keysWith(
                        truth,
                        range,
                        r -> r.httpStatus() == 429 && r.lateness() != Lateness.BEYOND_BOUND);
        Set<List<Object>> tooLate =
                keysWith(truth, range, r -> r.lateness() == Lateness.BEYOND_BOUND);
        assertThat(throttled).as("the outage throttles: the bug shows").isNotEmpty();
        long asTheBugCounts = successesAsTheBugCounts(truth, range);
        // Pinot consumes the committed rows on its own schedule: every window, not the first few
        IncidentQueryOracle.eventually(
                () ->
                        assertThat(sum(broker, "successes", range))
                                .as("Pinot counts 429 as available")
                                .isEqualTo(asTheBugCounts));

        pipeline.redeployAggregator(tmp.resolve("savepoints"), MetricCatalog.COUNTERS, 1);
        List<String> args =
                args(
                        KAFKA.bootstrapServers(),
                        catalog,
                        keyFile,
                        pipeline,
                        range,
                        "successes counted 429 as available",
                        1);
        Path report = tmp.resolve("first.json");
        Run first = backfill(args, "--report-json", report.toString());
        assertThat(first.exitCode()).as(first.out()).isZero();
        assertThat(first.out()).contains("applied");

        JsonNode service = table(JSON.readTree(Files.readString(report)), HistoryTable.KPI_SERVICE);
        Set<List<Object>> changedByTheFix = new HashSet<>(throttled);
        changedByTheFix.addAll(tooLate);
        assertThat(service.get("changed").asLong() + service.get("added").asLong())
                .as("the rows the bug and the too-late events changed, no other:%n%s", first.out())
                .isEqualTo(changedByTheFix.size());
        assertThat(service.get("removed").asLong()).isZero();
        assertThat(service.get("columns").get("successes").get("rows").asLong())
                .as("successes change where 429s were counted or successes came too late")
                .isEqualTo(successesChanged(truth, range));

        Catalog tables = catalog.open();
        assertGoldEqualsTheOracle(tables, oracle, range);
        List<RequestEvent> events = everyEvent(truth, tokenizer);
        long from = range.from().toEpochMilli();
        long end = range.to().toEpochMilli();
        IncidentQueryOracle.eventually(
                () -> {
                    assertPinotEqualsTheOracle(broker, oracle, range);
                    IncidentQueryOracle.assertKpiQueries(
                            broker, events, truth, start.toEpochMilli(), end);
                });

        Run second = backfill(args);
        assertThat(second.exitCode()).as(second.out()).isZero();
        assertThat(second.out()).contains("no change", "unchanged");
        // the running sink commits on its own: what counts is that the backfill did not
        String secondId = (String) BackfillRecords.all(tables).get(0).getField("backfill_id");
        for (HistoryTable table : BackfillRuns.GOLD_KPI_TABLES) {
            assertThat(tables.loadTable(table.identifier()).snapshots())
                    .as("a second backfill commits nothing to %s", table)
                    .noneMatch(s -> secondId.equals(s.summary().get("backfill.id")));
        }
        assertGoldEqualsTheOracle(tables, oracle, range);

        // a restart of the fixed stream, and traffic after it: new windows in generation 1, no
        // backfilled row overwritten
        pipeline.redeployAggregator(tmp.resolve("savepoints"), MetricCatalog.COUNTERS, 1);
        Instant later = start.plus(TRAFFIC).plus(Duration.ofMinutes(17));
        GroundTruth after =
                play(
                        pipeline,
                        SimulatorConfig.builder()
                                .seed(18L)
                                .scenario(Scenario.STEADY_STATE)
                                .start(later)
                                .duration(Duration.ofMinutes(3))
                                .eventsPerSecond(20)
                                .dirt(DirtRates.defaults().with(Dirt.BEYOND_BOUND, 0)));
        awaitTheStream(kpi, catalog);
        BackfillRange newer = new BackfillRange(later, later.plus(Duration.ofMinutes(3)));
        Map<List<Object>, long[]> newerOracle = fullOracle(after, newer);
        IncidentQueryOracle.eventually(
                () -> {
                    assertPinotEqualsTheOracle(broker, oracle, range);
                    assertPinotEqualsTheOracle(broker, newerOracle, newer);
                    QueryResult versions =
                            broker.query(
                                    "SELECT generation, version FROM service_kpi WHERE"
                                            + " window_start >= "
                                            + from
                                            + " AND window_start < "
                                            + end
                                            + " LIMIT 100000");
                    for (int i = 0; i < versions.rows().size(); i++) {
                        assertThat(versions.value(i, "version").asLong())
                                .as("a backfilled row, still")
                                .isEqualTo(KpiVersion.backfilled(1));
                    }
                    QueryResult streamed =
                            broker.query(
                                    "SELECT generation, version FROM service_kpi WHERE"
                                            + " window_start >= "
                                            + newer.from().toEpochMilli()
                                            + " LIMIT 100000");
                    assertThat(streamed.rows()).isNotEmpty();
                    for (int i = 0; i < streamed.rows().size(); i++) {
                        assertThat(streamed.value(i, "generation").asInt()).isEqualTo(1);
                        assertThat(streamed.value(i, "version").asLong())
                                .isLessThan(KpiVersion.backfilled(1));
                    }
                });
        assertGoldEqualsTheOracle(tables, oracle, range);
        sink.cancel().get();
        pipeline.close();
        ((AutoCloseable) tables).close();
    }

    private static GroundTruth play(
            HealthPipelineFixture pipeline, SimulatorConfig.Builder config) {
        TrafficSimulator.Generation traffic =
                TrafficSimulator.generate(config.topics(pipeline.rawTopicNames()).build());
        pipeline.play(traffic.records());
        return traffic.groundTruth();
    }

    /** Until the aggregator has gone quiet and gold holds each final row it wrote. */
    private static void awaitTheStream(HealthPipelineFixture.KpiTopics kpi, HistoryCatalog catalog)
            throws Exception {
        KAFKA.drainUntilQuiet(kpi.service(), Duration.ofSeconds(15), Duration.ofMinutes(2), true);
        long finals =
                KAFKA.drainUntilQuiet(
                                kpi.history(), Duration.ofSeconds(3), Duration.ofMinutes(1), true)
                        .size();
        Catalog tables = catalog.open();
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            long committed = 0;
            while (System.nanoTime() < deadline) {
                committed = 0;
                for (HistoryTable table :
                        List.of(
                                HistoryTable.KPI_SERVICE,
                                HistoryTable.KPI_DRILLDOWN,
                                HistoryTable.KPI_SATURATION)) {
                    committed += HistoryRows.committedRows(tables.loadTable(table.identifier()));
                }
                if (committed >= finals) {
                    return;
                }
                Thread.sleep(500);
            }
            assertThat(committed).as("final rows in gold").isGreaterThanOrEqualTo(finals);
        } finally {
            ((AutoCloseable) tables).close();
        }
    }

    private static void assertGoldEqualsTheOracle(
            Catalog tables, Map<List<Object>, long[]> oracle, BackfillRange range) {
        Map<List<Object>, long[]> gold = new HashMap<>();
        for (Record row :
                HistoryRows.read(tables.loadTable(HistoryTable.KPI_SERVICE.identifier()))) {
            long window = GoldDiff.millis(row.getField("window_start"));
            if (!range.contains(window)) {
                continue;
            }
            List<Object> key = new ArrayList<>();
            key.add(window);
            for (String dimension : serviceDimensions()) {
                key.add(row.getField(dimension));
            }
            long[] counters = new long[MetricCatalog.COUNTERS.size()];
            for (int i = 0; i < counters.length; i++) {
                counters[i] = (Long) row.getField(MetricCatalog.COUNTERS.get(i).name());
            }
            assertThat(row.getField("generation")).isEqualTo(1);
            assertThat(gold.put(key, counters)).as("a second gold row of %s", key).isNull();
        }
        assertThat(gold.keySet()).isEqualTo(oracle.keySet());
        oracle.forEach(
                (key, counters) ->
                        assertThat(gold.get(key)).as("gold %s", key).containsExactly(counters));
    }

    private static void assertPinotEqualsTheOracle(
            PinotBroker broker, Map<List<Object>, long[]> oracle, BackfillRange range)
            throws IOException {
        QueryResult rows =
                broker.query(
                        "SELECT * FROM service_kpi WHERE window_start >= "
                                + range.from().toEpochMilli()
                                + " AND window_start < "
                                + range.to().toEpochMilli()
                                + " LIMIT 100000");
        Map<List<Object>, long[]> served = new HashMap<>();
        for (int i = 0; i < rows.rows().size(); i++) {
            List<Object> key = new ArrayList<>();
            key.add(rows.value(i, "window_start").asLong());
            for (String dimension : serviceDimensions()) {
                key.add(rows.value(i, dimension).asText());
            }
            long[] counters = new long[MetricCatalog.COUNTERS.size()];
            for (int c = 0; c < counters.length; c++) {
                counters[c] = rows.value(i, MetricCatalog.COUNTERS.get(c).name()).asLong();
            }
            served.put(key, counters);
        }
        assertThat(served.keySet()).as("Pinot's rows of %s", range).isEqualTo(oracle.keySet());
        oracle.forEach(
                (key, counters) ->
                        assertThat(served.get(key)).as("Pinot %s", key).containsExactly(counters));
    }

    private static List<String> serviceDimensions() {
        List<String> dimensions = GoldDiff.keyColumns(HistoryTable.KPI_SERVICE);
        return dimensions.subList(1, dimensions.size());
    }

    /** The events the repaired KPIs count: every distinct request, too-late ones included. */
    private static List<RequestEvent> everyEvent(GroundTruth truth, TenantTokenizer tokenizer) {
        List<RequestEvent> events = new ArrayList<>();
        for (LogicalRequest request : truth.distinctRequests().values()) {
            events.add(
                    request.toRequestEvent(
                            tokenizer.token(request.tenantId()), request.emissionTimeMs()));
        }
        return events;
    }

    private static long sum(PinotBroker broker, String counter, BackfillRange range)
            throws Exception {
        long[] total = new long[1];
        IncidentQueryOracle.eventually(
                () -> {
                    QueryResult result =
                            broker.query(
                                    "SELECT SUM("
                                            + counter
                                            + ") AS total FROM service_kpi WHERE window_start >= "
                                            + range.from().toEpochMilli()
                                            + " AND window_start < "
                                            + range.to().toEpochMilli());
                    total[0] = result.value(0, "total").asLong();
                    assertThat(total[0]).isPositive();
                });
        return total[0];
    }

    /** The successes the wrong release wrote: the in-time requests, 429 counted as available. */
    private static long successesAsTheBugCounts(GroundTruth truth, BackfillRange range) {
        CounterKpi wrong =
                COUNTING_429_AS_AVAILABLE.get(
                        MetricCatalog.COUNTERS.indexOf(MetricCatalog.SUCCESSES));
        return truth.distinctRequests().values().stream()
                .filter(r -> r.lateness() != Lateness.BEYOND_BOUND)
                .filter(r -> range.contains(BackfillRuns.windowOf(r)))
                .mapToLong(r -> wrong.of(r.toRequestEvent("t", 0)))
                .sum();
    }

    /**
     * The service rows whose successes the repair changes: the too-late successes it adds less the
     * in-time 429s it no longer counts, where that is not zero.
     */
    private static long successesChanged(GroundTruth truth, BackfillRange range) {
        Map<List<Object>, Long> delta = new HashMap<>();
        for (LogicalRequest request : truth.distinctRequests().values()) {
            if (!range.contains(BackfillRuns.windowOf(request))) {
                continue;
            }
            long change =
                    request.lateness() == Lateness.BEYOND_BOUND
                            ? MetricCatalog.SUCCESSES.of(request.toRequestEvent("t", 0))
                            : request.httpStatus() == 429 ? -1 : 0;
            delta.merge(key(request), change, Long::sum);
        }
        return delta.values().stream().filter(d -> d != 0).count();
    }
}
