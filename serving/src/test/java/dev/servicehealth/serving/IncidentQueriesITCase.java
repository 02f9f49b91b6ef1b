package dev.servicehealth.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servicehealth.aggregator.HealthPipelineFixture;
import dev.servicehealth.localpinot.PinotCluster;
import dev.servicehealth.model.DeadLetterReason;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.privacy.TenantKeyFile;
import dev.servicehealth.model.privacy.TenantTokenizer;
import dev.servicehealth.model.reference.ReferenceData;
import dev.servicehealth.simulator.GroundTruth;
import dev.servicehealth.simulator.Lateness;
import dev.servicehealth.simulator.LogicalRequest;
import dev.servicehealth.simulator.Scenario;
import dev.servicehealth.simulator.SimulatorConfig;
import dev.servicehealth.simulator.TrafficSimulator;
import dev.servicehealth.testing.FailoverMiniCluster;
import dev.servicehealth.testing.SharedKafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incident questions answered by a real Pinot: the EMEA auth outage (retries, late, too-late
 * and malformed input) runs through the real normalizer, dedup job and aggregator while a task
 * manager is killed, Pinot consumes the upsert topics read_committed, and every query of the
 * catalog must return what the simulator's ground truth says: counters exactly (a row counted in
 * two versions, or lost in the restart, would show), merged percentiles within the sketch's rank
 * error of the exact ones.
 */
class IncidentQueriesITCase {
    private static final int PARTITIONS = 3;
    private static final Duration TRAFFIC = Duration.ofMinutes(20);

    @RegisterExtension static final SharedKafkaBroker KAFKA = new SharedKafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            FailoverMiniCluster.spreadOver(2, 3, new Configuration());

    @TempDir static Path pinotDir;
    @TempDir Path tmp;

    private static PinotCluster pinot;

    @BeforeAll
    static void startPinot() throws IOException {
        pinot = PinotCluster.start(pinotDir);
    }

    @AfterAll
    static void stopPinot() {
        pinot.close();
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void everyIncidentQueryAnswersWhatTheGroundTruthSaysAfterARestart(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        Path keyFile = tmp.resolve("tenant.key");
        TenantKeyFile.writeRandom(keyFile);
        TenantTokenizer tokenizer = TenantKeyFile.read(keyFile);
        HealthPipelineFixture.KpiTopics kpi =
                HealthPipelineFixture.KpiTopics.create(KAFKA, PARTITIONS);
        HealthPipelineFixture pipeline =
                HealthPipelineFixture.start(KAFKA, PARTITIONS, kpi, keyFile);
        ServingTablesFixture.deployFor(
                pinot,
                KAFKA.bootstrapServers(),
                pipeline,
                tmp.resolve("service_health_events.desc"),
                PARTITIONS);
        long reportsFrom = System.currentTimeMillis();
        long start =
                Instant.now()
                        .truncatedTo(ChronoUnit.MINUTES)
                        .minus(Duration.ofMinutes(40))
                        .toEpochMilli();
        TrafficSimulator.Generation traffic =
                TrafficSimulator.generate(
                        SimulatorConfig.builder()
                                .seed(20261122L)
                                .scenario(Scenario.EMEA_AUTH_OUTAGE)
                                .start(Instant.ofEpochMilli(start))
                                .duration(TRAFFIC)
                                .eventsPerSecond(20)
                                .topics(pipeline.rawTopicNames())
                                .build());
        pipeline.playKillingATaskManager(KAFKA, cluster, traffic.records());
        KAFKA.drainUntilQuiet(kpi.service(), Duration.ofSeconds(15), Duration.ofMinutes(2), true);
        pipeline.close();

        GroundTruth truth = traffic.groundTruth();
        List<RequestEvent> events = countedEvents(truth, tokenizer);
        PinotBroker broker = new PinotBroker(pinot.broker(), Duration.ofSeconds(10));
        long end = start + TRAFFIC.toMillis();

        IncidentQueryOracle.eventually(
                () -> {
                    QueryResult rows = broker.query("SELECT COUNT(*) FROM service_kpi");
                    assertThat(rows.rows().get(0).get(0).asLong())
                            .as("one row per key, whatever the number of versions")
                            .isEqualTo(truth.kpiOracle().size());
                    IncidentQueryOracle.assertKpiQueries(broker, events, truth, start, end);
                    assertTooLateWindows(broker, truth);
                    assertDeadLetters(broker, truth, pipeline.emptyRecordsAfterTheTraffic());
                    assertSchemaDrift(broker, truth, reportsFrom);
                });
        assertTheOnCallCliDrillsDownByClearTenantIdAndAudits(truth, keyFile, events, end);
        assertEveryCommandAnswersItsExample(keyFile, start, end);
    }

    /**
     * Every query of the catalog is a command: its example, as the local run prints it, parses and
     * Pinot answers it (the answers themselves are held to the ground truth above).
     */
    private void assertEveryCommandAnswersItsExample(Path keyFile, long start, long end) {
        for (IncidentQuery query : IncidentQuery.values()) {
            List<String> example =
                    query.example().stream()
                            .map(
                                    arg ->
                                            arg.equals(IncidentQuery.AT_A_DEPLOY)
                                                    ? Instant.ofEpochMilli(
                                                                    start
                                                                            + IncidentQueryOracle
                                                                                    .minutes(10))
                                                            .toString()
                                                    : arg)
                            .toList();
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            OnCallCli cli =
                    new OnCallCli(
                            pinot.broker(),
                            keyFile,
                            new AuditLog(tmp.resolve("examples-audit.jsonl")),
                            "bob",
                            ReferenceData.bundled(),
                            Clock.fixed(
                                    Instant.ofEpochMilli(end - IncidentQueryOracle.minutes(1)),
                                    ZoneOffset.UTC),
                            new PrintStream(printed, true, StandardCharsets.UTF_8));

            int exit = cli.execute(example, new PrintStream(errors, true, StandardCharsets.UTF_8));

            assertThat(exit).as("%s: %s", example, errors).isZero();
            assertThat(printed.toString(StandardCharsets.UTF_8).lines())
                    .as("%s", example)
                    .startsWith("# " + query.question())
                    .element(1)
                    .asString()
                    .matches("# .* UTC, \\d+ rows in \\d+ ms");
        }
    }

    /**
     * The drift report lists what the simulator's drifted lines changed (renamed fields, numbers as
     * strings, fields the data model does not know) and every endpoint its paths outside the
     * catalog were counted under, by name, and nothing it did not send.
     */
    private static void assertSchemaDrift(PinotBroker broker, GroundTruth truth, long reportsFrom)
            throws IOException {
        QueryResult result =
                broker.query(
                        IncidentQuery.SCHEMA_DRIFT.sql(
                                Map.of(
                                        "from",
                                        reportsFrom,
                                        "to",
                                        System.currentTimeMillis()
                                                + IncidentQueryOracle.minutes(1))));
        Map<String, Set<String>> namesByKind = new HashMap<>();
        for (int i = 0; i < result.rows().size(); i++) {
            assertThat(result.value(i, "occurrences").asLong()).isPositive();
            namesByKind
                    .computeIfAbsent(result.value(i, "kind").asText(), k -> new TreeSet<>())
                    .add(result.value(i, "name").asText());
        }
        Set<String> unmapped =
                truth.distinctRequests().values().stream()
                        .filter(r -> r.service().equals(GroundTruth.UNMAPPED_SERVICE))
                        .map(LogicalRequest::endpoint)
                        .collect(Collectors.toCollection(TreeSet::new));
        assertThat(unmapped).as("the traffic calls paths outside the catalog").isNotEmpty();
        assertThat(namesByKind.get("unmapped_endpoint")).isEqualTo(unmapped);
        assertThat(namesByKind.get("renamed_field")).contains("requestId → request_id");
        assertThat(namesByKind.get("type_changed")).contains("http_status: string for int");
        assertThat(namesByKind).containsKey("new_field");
    }

    /**
     * The CLI takes the clear tenant id, tokenizes it with the key, prints the minutes Pinot has
     * for it and writes an audit record with the token, never the clear id.
     */
    private void assertTheOnCallCliDrillsDownByClearTenantIdAndAudits(
            GroundTruth truth, Path keyFile, List<RequestEvent> events, long end) throws Exception {
        TenantTokenizer tokenizer = TenantKeyFile.read(keyFile);
        LogicalRequest outageRequest =
                truth.distinctRequests().values().stream()
                        .filter(
                                r ->
                                        r.httpStatus() >= 500
                                                && r.eventTimeMs()
                                                        >= end - IncidentQueryOracle.minutes(15))
                        .findFirst()
                        .orElseThrow();
        String token = tokenizer.token(outageRequest.tenantId());
        long minutesWithRows =
                events.stream()
                        .filter(
                                e ->
                                        e.tenantToken().equals(token)
                                                && e.endpoint().equals(outageRequest.endpoint()))
                        .filter(
                                IncidentQueryOracle.inRange(
                                        end - IncidentQueryOracle.minutes(15), end))
                        .map(IncidentQueryOracle::windowStart)
                        .distinct()
                        .count();
        Path auditFile = tmp.resolve("audit.jsonl");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        OnCallCli cli =
                new OnCallCli(
                        pinot.broker(),
                        keyFile,
                        new AuditLog(auditFile),
                        "alice",
                        ReferenceData.bundled(),
                        // the simulated range ends 20 minutes ago: the CLI's "now" is its end
                        Clock.fixed(
                                Instant.ofEpochMilli(end - IncidentQueryOracle.minutes(1)),
                                ZoneOffset.UTC),
                        new PrintStream(printed, true, StandardCharsets.UTF_8));
        cli.run(
                List.of(
                        "drilldown",
                        "--tenant",
                        outageRequest.tenantId(),
                        "--endpoint",
                        outageRequest.endpoint(),
                        "--last",
                        "15m"));
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(2)).startsWith("window_start").contains("latency_p95", "avail%");
        assertThat(lines).hasSize(3 + (int) minutesWithRows);
        List<String> audit = Files.readAllLines(auditFile);
        assertThat(audit).hasSize(1);
        JsonNode record = new ObjectMapper().readTree(audit.get(0));
        assertThat(record.get("user").asText()).isEqualTo("alice");
        assertThat(record.get("query").asText()).isEqualTo("tenant-drilldown");
        assertThat(record.get("tenant_token").asText()).isEqualTo(token);
        assertThat(audit.get(0)).doesNotContain(outageRequest.tenantId());

        assertAnEmptyAnswerSaysWhy(cli, printed, outageRequest);
        assertThatThrownBy(
                        () ->
                                new PinotBroker(pinot.broker(), Duration.ofSeconds(10))
                                        .query("SELECT COUNT(*) FROM no_such_table"))
                .isInstanceOf(PinotException.class)
                .hasMessageStartingWith(
                        "Pinot broker "
                                + pinot.broker().resolve("/query/sql")
                                + " refused the query")
                .hasMessageNotContaining("\n");
    }

    /**
     * An endpoint spelled otherwise than the rows have it, or a tenant Pinot has no row of: the CLI
     * says there are no rows, how new the table's and the tenant's newest rows are, and which
     * endpoints the tenant has in the range.
     */
    private static void assertAnEmptyAnswerSaysWhy(
            OnCallCli cli, ByteArrayOutputStream printed, LogicalRequest request) throws Exception {
        printed.reset();
        cli.run(
                List.of(
                        "drilldown",
                        "--tenant",
                        request.tenantId(),
                        "--endpoint",
                        request.endpoint() + "/not-an-endpoint",
                        "--last",
                        "15m"));
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("no rows in drilldown_kpi for this range and these values")
                .containsPattern(
                        "the newest row of drilldown_kpi: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC")
                .containsPattern("the newest row of this tenant \\(any endpoint\\): \\d{4}-")
                .containsPattern(
                        "in the range this tenant has rows for the endpoints: .*"
                                + Pattern.quote(request.endpoint()));

        printed.reset();
        cli.run(
                List.of(
                        "drilldown",
                        "--tenant",
                        "NO-SUCH-TENANT",
                        "--endpoint",
                        request.endpoint()));
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains(
                        "the newest row of this tenant (any endpoint): none, Pinot has no such row"
                                + " at all",
                        "this tenant has no rows in the range on any endpoint");
    }

    /**
     * Every event beyond the lateness bound is in the too-late table once, under its window, region
     * and service: what a backfill must repair.
     */
    private static void assertTooLateWindows(PinotBroker broker, GroundTruth truth)
            throws IOException {
        Map<List<Object>, Long> expected = new HashMap<>();
        for (LogicalRequest request : truth.distinctRequests().values()) {
            if (request.lateness() == Lateness.BEYOND_BOUND) {
                expected.merge(
                        List.of(
                                IncidentQueryOracle.windowStart(request.eventTimeMs()),
                                request.region().name(),
                                request.service()),
                        1L,
                        Long::sum);
            }
        }
        assertThat(expected).as("the traffic has too-late events").isNotEmpty();
        QueryResult result =
                broker.query(
                        IncidentQuery.TOO_LATE_WINDOWS.sql(
                                Map.of("from", 0L, "to", Long.MAX_VALUE)));
        Map<List<Object>, Long> served = new HashMap<>();
        for (int i = 0; i < result.rows().size(); i++) {
            served.put(
                    List.of(
                            result.value(i, "window_start").asLong(),
                            result.value(i, "region").asText(),
                            result.value(i, "service").asText()),
                    result.value(i, "events").asLong());
        }
        assertThat(served).isEqualTo(expected);
    }

    /**
     * Every dead letter is in the dead-letter table once, by reason, and the table holds neither
     * the original bytes nor the detail.
     */
    private static void assertDeadLetters(
            PinotBroker broker, GroundTruth truth, long emptyRecordsAfterTheTraffic)
            throws IOException {
        Map<String, Long> expected = new HashMap<>();
        // the fixture's own, one per raw partition, that let time move on after the traffic
        expected.put(DeadLetterReason.EMPTY_RECORD.code(), emptyRecordsAfterTheTraffic);
        truth.expectedDeadLetters()
                .forEach(
                        (reason, n) -> {
                            if (n > 0) {
                                expected.merge(reason.code(), n, Long::sum);
                            }
                        });
        assertThat(expected).as("the traffic has malformed lines").isNotEmpty();
        QueryResult result =
                broker.query(
                        IncidentQuery.DEAD_LETTERS.sql(Map.of("from", 0L, "to", Long.MAX_VALUE)));
        Map<String, Long> served = new HashMap<>();
        for (int i = 0; i < result.rows().size(); i++) {
            served.merge(
                    result.value(i, "reason").asText(),
                    result.value(i, "dead_letters").asLong(),
                    Long::sum);
        }
        assertThat(served).isEqualTo(expected);
    }

    /** The events the KPIs count: each logical request once, unless beyond the lateness bound. */
    private static List<RequestEvent> countedEvents(GroundTruth truth, TenantTokenizer tokenizer) {
        List<RequestEvent> events = new ArrayList<>();
        for (LogicalRequest request : truth.distinctRequests().values()) {
            if (request.lateness() != Lateness.BEYOND_BOUND) {
                events.add(
                        request.toRequestEvent(
                                tokenizer.token(request.tenantId()), request.emissionTimeMs()));
            }
        }
        return events;
    }
}
