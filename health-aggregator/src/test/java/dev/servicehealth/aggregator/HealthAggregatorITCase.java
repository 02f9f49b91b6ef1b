package dev.servicehealth.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servicehealth.aggregator.kpi.KpiKey;
import dev.servicehealth.aggregator.sketch.LatencySketch;
import dev.servicehealth.model.EventCodec;
import dev.servicehealth.model.MetricSample;
import dev.servicehealth.model.Region;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.TenantTier;
import dev.servicehealth.model.catalog.CounterKpi;
import dev.servicehealth.model.catalog.DistributionKpi;
import dev.servicehealth.model.catalog.MetricCatalog;
import dev.servicehealth.model.catalog.SaturationKpi;
import dev.servicehealth.model.privacy.TenantKeyFile;
import dev.servicehealth.model.privacy.TenantTokenizer;
import dev.servicehealth.simulator.GroundTruth;
import dev.servicehealth.simulator.Lateness;
import dev.servicehealth.simulator.LogicalRequest;
import dev.servicehealth.simulator.OracleKey;
import dev.servicehealth.simulator.Scenario;
import dev.servicehealth.simulator.SimulatorConfig;
import dev.servicehealth.simulator.TrafficSimulator;
import dev.servicehealth.simulator.WindowKpis;
import dev.servicehealth.testing.FailoverMiniCluster;
import dev.servicehealth.testing.SharedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The oracle test of the KPIs: simulator traffic of each scenario (steady state, EMEA auth outage,
 * bad deploy on the hottest endpoint; all with retries, late and too-late events and malformed
 * lines) through the real normalizer, dedup job and aggregator on a real broker, the traffic
 * written as fast as the broker takes it, so each job reads a backlog at full speed, every subtask
 * at its own pace (decision 0009: whether an event is late follows its raw partition's clock, never
 * the read speed). For every row of every grain the last version in its upsert topic must equal the
 * expected value exactly for every counter and saturation signal, and its percentiles must lie
 * within the sketch's documented rank error of the exact ones; the too-late events must be counted
 * exactly. Expected values: the simulator's oracle for the service grain; for the drill-down grain
 * the same logical requests grouped by token (HMAC of the tenant with the run's key) × endpoint ×
 * region × tier; for saturation the max and mean of the deduplicated samples.
 */
class HealthAggregatorITCase {
    private static final int PARTITIONS = 3;
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Longer than a change takes through three checkpoints, a flush and an early firing. */
    private static final Duration QUIET = Duration.ofSeconds(15);

    @RegisterExtension static final SharedKafkaBroker KAFKA = new SharedKafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            FailoverMiniCluster.spreadOver(2, 3, new Configuration());

    @TempDir Path tmp;

    @ParameterizedTest
    @EnumSource(
            value = Scenario.class,
            // the EMEA outage runs in the test below, with a task manager killed, and through Pinot
            // in the serving module's test
            names = {"STEADY_STATE", "BAD_DEPLOY_HOT_ENDPOINT"})
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyRowConvergesToTheOracle(Scenario scenario, @InjectMiniCluster MiniCluster cluster)
            throws Exception {
        runAndCompareWithTheOracle(cluster, scenario, 20261122L, Disruption.REPLAYED_CAPTURE);
    }

    /**
     * The same with a task manager killed while the traffic streams in: every job restores from its
     * last checkpoint, and the rows still converge to the oracle, nothing lost or counted twice
     * (re-emitted rows carry higher versions; rows of aborted transactions are never read).
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void convergesToTheOracleAfterATaskManagerIsKilledMidStream(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        runAndCompareWithTheOracle(cluster, Scenario.EMEA_AUTH_OUTAGE, 4712L, Disruption.KILL);
    }

    /**
     * The same with the normalizer cancelled for five simulated minutes while the traffic keeps
     * arriving, and started again from its last checkpoint: the dedup job and the aggregator wait
     * for its clock instead of counting the backlog it then writes as too late.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void convergesToTheOracleAfterTheNormalizerStoodStillForFiveMinutes(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        runAndCompareWithTheOracle(
                cluster, Scenario.EMEA_AUTH_OUTAGE, 20261201L, Disruption.NORMALIZER_STOPPED);
    }

    /** How the traffic reaches the pipeline, and what happens to it while it reads the backlog. */
    private enum Disruption {
        /** None: the traffic is captured to files and the capture replayed at maximum speed. */
        REPLAYED_CAPTURE,
        KILL,
        NORMALIZER_STOPPED
    }

    /**
     * Gateway lines in one raw partition of three and nothing on the other raw topics: the empty
     * partitions are idle after the normalizer's idleness timeout, so the pipeline clock follows
     * the busy one through the dedup job into the aggregator, and windows close and become final.
     * Without idleness the empty partitions would hold the clock back forever.
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void anIdleRawPartitionDoesNotHoldBackTheWindows() throws Exception {
        Path keyFile = tmp.resolve("tenant.key");
        TenantKeyFile.writeRandom(keyFile);
        HealthPipelineFixture.KpiTopics kpi =
                HealthPipelineFixture.KpiTopics.create(KAFKA, PARTITIONS);
        HealthPipelineFixture pipeline =
                HealthPipelineFixture.start(KAFKA, PARTITIONS, kpi, keyFile);
        long start = Instant.now().truncatedTo(ChronoUnit.MINUTES).toEpochMilli() - 3_600_000;
        // 13 minutes of requests, one every 5 s, all in partition 0 of the gateway topic, over
        // 47 s: the busy partition still sends when the empty ones go idle, as in production
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(KAFKA.producerProperties())) {
            for (long t = start; t < start + 13 * 60_000; t += 5_000) {
                String line =
                        "{\"request_id\":\"r-"
                                + t
                                + "\",\"tenant_id\":\"ACME\",\"region\":\"emea\","
                                + "\"az\":\"emea-west-1a\",\"endpoint\":\"/services/data/v60.0/query\","
                                + "\"http_status\":200,\"latency_ms\":12,\"bytes_out\":100,"
                                + "\"timestamp\":"
                                + t
                                + "}";
                producer.send(
                        new ProducerRecord<>(
                                pipeline.rawTopicNames().gateway(),
                                0,
                                t,
                                "gw-emea-west-1a-0".getBytes(StandardCharsets.UTF_8),
                                line.getBytes(StandardCharsets.UTF_8)));
                producer.flush();
                Thread.sleep(300);
            }
        }
        try {
            List<Long> finalWindows =
                    KAFKA.drain(kpi.history(), 4, Duration.ofSeconds(100), true).stream()
                            .map(HealthAggregatorITCase::json)
                            .filter(row -> row.get("grain").asText().equals("service"))
                            .map(row -> row.get("window_start").asLong())
                            .toList();
            assertThat(finalWindows)
                    .as("windows made final: the clock passed their lateness bound")
                    .containsExactlyInAnyOrder(start, start + 60_000);
        } finally {
            pipeline.close();
        }
    }

    private void runAndCompareWithTheOracle(
            MiniCluster cluster, Scenario scenario, long seed, Disruption disruption)
            throws Exception {
        Path keyFile = tmp.resolve("tenant.key");
        TenantKeyFile.writeRandom(keyFile);
        TenantTokenizer tokenizer = TenantKeyFile.read(keyFile);
        HealthPipelineFixture.KpiTopics kpi =
                HealthPipelineFixture.KpiTopics.create(KAFKA, PARTITIONS);
        HealthPipelineFixture pipeline =
                HealthPipelineFixture.start(KAFKA, PARTITIONS, kpi, keyFile);
        TrafficSimulator.Generation traffic =
                TrafficSimulator.generate(
                        SimulatorConfig.builder()
                                .seed(seed)
                                .scenario(scenario)
                                .start(
                                        Instant.now()
                                                .truncatedTo(ChronoUnit.MINUTES)
                                                .minus(Duration.ofMinutes(40)))
                                .duration(Duration.ofMinutes(20))
                                .eventsPerSecond(20)
                                .topics(pipeline.rawTopicNames())
                                .build());
        GroundTruth truth = traffic.groundTruth();
        long beyondBound =
                truth.beyondBoundByWindow().values().stream().mapToLong(Long::longValue).sum();
        assertThat(beyondBound).as("the traffic has too-late events").isPositive();
        switch (disruption) {
            case REPLAYED_CAPTURE ->
                    assertThat(
                                    pipeline.replayCapture(
                                                    traffic.records(), tmp.resolve("capture"))
                                            .records())
                            .isEqualTo(traffic.records().size());
            case KILL -> pipeline.playKillingATaskManager(KAFKA, cluster, traffic.records());
            case NORMALIZER_STOPPED ->
                    pipeline.playStoppingTheNormalizer(
                            cluster, traffic.records(), Duration.ofMinutes(5));
        }

        // every change has reached the upsert topic when nothing new arrives for this long
        List<ConsumerRecord<byte[], byte[]>> upserts =
                KAFKA.drainUntilQuiet(kpi.service(), QUIET, Duration.ofMinutes(2), true);
        List<ConsumerRecord<byte[], byte[]>> drilldownUpserts = drainAll(kpi.drilldown());
        List<ConsumerRecord<byte[], byte[]>> saturationUpserts = drainAll(kpi.saturation());
        List<ConsumerRecord<byte[], byte[]>> samples = drainAll(pipeline.dedup().metrics());
        List<ConsumerRecord<byte[], byte[]>> tooLateRecords = drainAll(kpi.tooLate());
        List<ConsumerRecord<byte[], byte[]>> historyRecords = drainAll(kpi.history());
        pipeline.close();

        Map<OracleKey, JsonNode> lastVersions =
                lastVersionPerKey(upserts, HealthAggregatorITCase::serviceKey);
        Map<OracleKey, WindowKpis> oracle = truth.kpiOracle();
        assertThat(difference(oracle.keySet(), lastVersions.keySet()))
                .as("rows the oracle has and the upsert topic lacks")
                .isEmpty();
        assertThat(difference(lastVersions.keySet(), oracle.keySet()))
                .as("rows the upsert topic has and the oracle lacks")
                .isEmpty();
        for (Map.Entry<OracleKey, WindowKpis> expected : oracle.entrySet()) {
            JsonNode row = lastVersions.get(expected.getKey());
            for (CounterKpi counter : MetricCatalog.COUNTERS) {
                assertThat(row.get(counter.name()).asLong())
                        .as("%s of %s", counter.name(), expected.getKey())
                        .isEqualTo(expected.getValue().counter(counter));
            }
            assertPercentiles(row, MetricCatalog.LATENCY, expected.getValue().latenciesMs());
            assertPercentiles(
                    row,
                    MetricCatalog.TOKEN_MINT_LATENCY,
                    expected.getValue().tokenMintLatenciesMs());
        }

        assertDrilldownRows(
                lastVersionPerKey(drilldownUpserts, HealthAggregatorITCase::drilldownKey),
                truth,
                tokenizer);
        assertSaturationRows(
                lastVersionPerKey(saturationUpserts, HealthAggregatorITCase::saturationKey),
                samples);

        assertThat(tooLateEvents(tooLateRecords, "service")).isEqualTo(beyondBound);
        assertThat(tooLateEvents(tooLateRecords, "drilldown")).isEqualTo(beyondBound);
        assertThat(tooLateEvents(tooLateRecords, "saturation")).isZero();
        assertThat(historyRecords)
                .as("one final row per row key, both grains")
                .hasSizeGreaterThan(oracle.size());
    }

    /**
     * Drill-down rows: the oracle's requests grouped by token, endpoint, region and tier instead.
     */
    private static void assertDrilldownRows(
            Map<List<Object>, JsonNode> rows, GroundTruth truth, TenantTokenizer tokenizer) {
        Map<List<Object>, List<RequestEvent>> expected = new HashMap<>();
        for (LogicalRequest request : truth.distinctRequests().values()) {
            if (request.lateness() == Lateness.BEYOND_BOUND) {
                continue;
            }
            RequestEvent event =
                    request.toRequestEvent(
                            tokenizer.token(request.tenantId()), request.emissionTimeMs());
            expected.computeIfAbsent(
                            List.of(
                                    KpiKey.windowStart(event.eventTimeMs()),
                                    event.tenantToken(),
                                    event.endpoint(),
                                    event.region().name(),
                                    event.tenantTier().name()),
                            k -> new ArrayList<>())
                    .add(event);
        }
        assertThat(rows.keySet()).isEqualTo(expected.keySet());
        for (Map.Entry<List<Object>, List<RequestEvent>> key : expected.entrySet()) {
            JsonNode row = rows.get(key.getKey());
            for (CounterKpi counter : MetricCatalog.COUNTERS) {
                assertThat(row.get(counter.name()).asLong())
                        .as("%s of %s", counter.name(), key.getKey())
                        .isEqualTo(key.getValue().stream().mapToLong(counter::of).sum());
            }
            for (DistributionKpi distribution : MetricCatalog.DISTRIBUTIONS) {
                assertPercentiles(
                        row,
                        distribution,
                        key.getValue().stream()
                                .mapToDouble(distribution::of)
                                .filter(v -> !Double.isNaN(v))
                                .boxed()
                                .toList());
            }
        }
    }

    /** Saturation rows: max and mean of each signal's deduplicated samples per window. */
    private static void assertSaturationRows(
            Map<List<Object>, JsonNode> rows, List<ConsumerRecord<byte[], byte[]>> samples) {
        Map<List<Object>, List<MetricSample>> expected = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : samples) {
            MetricSample sample = EventCodec.decodeMetric(record.value());
            if (MetricCatalog.SATURATION.stream()
                    .anyMatch(s -> s.metricName().equals(sample.metricName()))) {
                expected.computeIfAbsent(
                                List.of(
                                        KpiKey.windowStart(sample.timestampMs()),
                                        sample.region().name(),
                                        sample.service()),
                                k -> new ArrayList<>())
                        .add(sample);
            }
        }
        assertThat(expected).as("the traffic has saturation samples").isNotEmpty();
        assertThat(rows.keySet()).isEqualTo(expected.keySet());
        for (Map.Entry<List<Object>, List<MetricSample>> key : expected.entrySet()) {
            JsonNode row = rows.get(key.getKey());
            for (SaturationKpi signal : MetricCatalog.SATURATION) {
                double[] values =
                        key.getValue().stream()
                                .filter(s -> s.metricName().equals(signal.metricName()))
                                .mapToDouble(MetricSample::value)
                                .toArray();
                if (values.length == 0) {
                    assertThat(row.get(signal.name() + "_max").isNull()).isTrue();
                    continue;
                }
                assertThat(row.get(signal.name() + "_max").asDouble())
                        .as("%s max of %s", signal.name(), key.getKey())
                        .isEqualTo(Arrays.stream(values).max().orElseThrow());
                assertThat(row.get(signal.name() + "_avg").asDouble())
                        .as("%s mean of %s", signal.name(), key.getKey())
                        .isCloseTo(
                                Arrays.stream(values).average().orElseThrow(),
                                within(
                                        1e-9
                                                * Math.max(
                                                        1,
                                                        Arrays.stream(values)
                                                                .max()
                                                                .orElseThrow())));
            }
        }
    }

    private static long tooLateEvents(List<ConsumerRecord<byte[], byte[]>> records, String grain) {
        return records.stream()
                .map(HealthAggregatorITCase::json)
                .filter(r -> r.get("grain").asText().equals(grain))
                .mapToLong(r -> r.get("events").asLong())
                .sum();
    }

    /**
     * Percentiles of the row within the sketch's bound of the exact ones, from its own sketch too.
     */
    private static void assertPercentiles(JsonNode row, DistributionKpi kpi, List<Double> exact) {
        double[] sorted = exact.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        LatencySketch sketch =
                LatencySketch.fromTDigestBytes(
                        HexFormat.of().parseHex(row.get(kpi.name() + "_tdigest").asText()));
        assertThat(sketch.count()).isEqualTo(sorted.length);
        for (double q : kpi.quantiles()) {
            JsonNode value = row.get(kpi.percentileColumn(q));
            if (sorted.length == 0) {
                assertThat(value.isNull()).as("%s without values", kpi.name()).isTrue();
                continue;
            }
            double error = LatencySketch.rankError(q, sorted.length);
            assertThat(value.asDouble())
                    .as("%s q=%s of %d values", kpi.name(), q, sorted.length)
                    .isBetween(exact(sorted, q - error), exact(sorted, q + error));
        }
    }

    private static <T> List<T> difference(java.util.Set<T> a, java.util.Set<T> b) {
        return a.stream().filter(k -> !b.contains(k)).limit(5).toList();
    }

    private static double exact(double[] sorted, double q) {
        int rank = (int) Math.ceil(Math.min(1, Math.max(0, q)) * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    private static OracleKey serviceKey(JsonNode row) {
        return new OracleKey(
                row.get("window_start").asLong(),
                Region.valueOf(row.get("region").asText()),
                row.get("availability_zone").asText(),
                row.get("product").asText(),
                row.get("service").asText(),
                row.get("endpoint").asText(),
                TenantTier.valueOf(row.get("tenant_tier").asText()));
    }

    private static List<Object> drilldownKey(JsonNode row) {
        return List.of(
                row.get("window_start").asLong(),
                row.get("tenant_token").asText(),
                row.get("endpoint").asText(),
                row.get("region").asText(),
                row.get("tenant_tier").asText());
    }

    private static List<Object> saturationKey(JsonNode row) {
        return List.of(
                row.get("window_start").asLong(),
                row.get("region").asText(),
                row.get("service").asText());
    }

    private static <K> Map<K, JsonNode> lastVersionPerKey(
            List<ConsumerRecord<byte[], byte[]>> records, Function<JsonNode, K> keyOf) {
        Map<K, JsonNode> last = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            JsonNode row = json(record);
            K key = keyOf.apply(row);
            JsonNode previous = last.get(key);
            if (previous != null) {
                assertThat(row.get("version").asLong())
                        .as("versions of %s grow in partition order", key)
                        .isGreaterThan(previous.get("version").asLong());
            }
            last.put(key, row);
        }
        return last;
    }

    private static JsonNode json(ConsumerRecord<byte[], byte[]> record) {
        try {
            return JSON.readTree(record.value());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + new String(record.value()), e);
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> drainAll(String topic) {
        return KAFKA.drainUntilQuiet(topic, Duration.ofSeconds(3), WAIT, true);
    }
}
