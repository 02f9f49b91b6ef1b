package dev.servicehealth.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.ingest.NormalizerJobFixture;
import dev.servicehealth.model.EventCodec;
import dev.servicehealth.model.EventKind;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.catalog.PipelineMetric;
import dev.servicehealth.model.privacy.TenantKeyFile;
import dev.servicehealth.runtime.FlinkMetricsBridgeFactory;
import dev.servicehealth.simulator.GroundTruth;
import dev.servicehealth.simulator.KafkaTrafficWriter;
import dev.servicehealth.simulator.LogicalRequest;
import dev.servicehealth.simulator.RequestKey;
import dev.servicehealth.simulator.Scenario;
import dev.servicehealth.simulator.SimulatedRecord;
import dev.servicehealth.simulator.SimulatorConfig;
import dev.servicehealth.simulator.TrafficSimulator;
import dev.servicehealth.testing.FailoverMiniCluster;
import dev.servicehealth.testing.FlinkJobProbe;
import dev.servicehealth.testing.SharedKafkaBroker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Simulator traffic with retries (some minutes apart, from another gateway node) through the real
 * normalizer and the real dedup job on a real broker: the read_committed output must hold each
 * request exactly once, every one the simulator's ground truth expects, each as first sent; and the
 * same after a task manager is killed in the middle of the stream.
 */
class DedupJobITCase {
    private static final int PARTITIONS = 3;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @RegisterExtension static final SharedKafkaBroker KAFKA = new SharedKafkaBroker();

    /** Also bridges Flink's checkpoint and RocksDB gauges into the Micrometer meters. */
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            FailoverMiniCluster.spreadOver(
                    2, 2, FlinkMetricsBridgeFactory.installInto(new Configuration()));

    @TempDir Path tmp;

    @BeforeAll
    static void countMeters() {
        Metrics.addRegistry(new SimpleMeterRegistry());
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void keepsEachRequestOnceAndCountsTheDroppedRetries(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        NormalizerJobFixture.Topics normalized =
                NormalizerJobFixture.Topics.create(KAFKA, PARTITIONS);
        DedupJobFixture.Topics dedup = DedupJobFixture.Topics.create(KAFKA, PARTITIONS);
        TrafficSimulator.Generation traffic = traffic(normalized, Scenario.EMEA_AUTH_OUTAGE, 7L);
        GroundTruth truth = traffic.groundTruth();
        assertThat(truth.duplicatesGenerated()).as("the traffic has retries").isGreaterThan(100);
        try (KafkaTrafficWriter writer = new KafkaTrafficWriter(KAFKA.bootstrapServers())) {
            for (SimulatedRecord record : traffic.records()) {
                writer.send(record);
            }
        }
        Map<String, Double> before = dedupCounters();

        NormalizerJobFixture.run(KAFKA.bootstrapServers(), normalized, keyFile());
        DedupJobFixture.run(KAFKA.bootstrapServers(), normalized, dedup);

        assertOutputMatchesGroundTruth(dedup, truth);
        Map<String, Double> counted = delta(before, dedupCounters());
        assertThat(counted.get("dedup.duplicates.dropped"))
                .isEqualTo((double) truth.duplicatesGenerated());
        assertThat(counted.get("dedup.conflicts")).as("retries repeat the content").isZero();
        assertThat(counted.get("dedup.events.in"))
                .isEqualTo(
                        (double)
                                (truth.expectedNormalized(EventKind.REQUEST)
                                        + truth.expectedNormalized(EventKind.METRIC_SAMPLE)
                                        + truth.expectedNormalized(EventKind.STATUS)));
        assertThat(counted.get("dedup.events.in") - counted.get("dedup.events.out"))
                .as("every event read is written or counted as a dropped copy")
                .isEqualTo(counted.get("dedup.duplicates.dropped"));
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void killingATaskManagerMidStreamLosesAndDuplicatesNothing(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        NormalizerJobFixture.Topics normalized =
                NormalizerJobFixture.Topics.create(KAFKA, PARTITIONS);
        DedupJobFixture.Topics dedup = DedupJobFixture.Topics.create(KAFKA, PARTITIONS);
        TrafficSimulator.Generation traffic =
                traffic(normalized, Scenario.BAD_DEPLOY_HOT_ENDPOINT, 4243L);
        GroundTruth truth = traffic.groundTruth();

        JobClient normalizer =
                NormalizerJobFixture.start(KAFKA.bootstrapServers(), normalized, keyFile());
        JobClient dedupJob = DedupJobFixture.start(KAFKA.bootstrapServers(), normalized, dedup);
        FlinkJobProbe.awaitCompletedCheckpoint(cluster, dedupJob.getJobID(), WAIT);
        assertThat(FlinkJobProbe.stateBackend(cluster, dedupJob.getJobID()))
                .isEqualTo("EmbeddedRocksDBStateBackend");
        CompletableFuture<Void> producing =
                CompletableFuture.runAsync(
                        () -> NormalizerJobFixture.producePaced(KAFKA, traffic.records()));
        FlinkJobProbe.awaitCompletedCheckpoint(cluster, dedupJob.getJobID(), WAIT);
        FlinkJobProbe.awaitCompletedCheckpoint(cluster, dedupJob.getJobID(), WAIT);
        assertThat(producing).as("input still arriving when the task manager dies").isNotDone();
        cluster.terminateTaskManager(0).get();
        cluster.startTaskManager();
        producing.get();

        KAFKA.drain(dedup.requests(), truth.distinctRequests().size(), WAIT, true);
        // one more checkpoint after the expected count: anything extra would be visible by now
        FlinkJobProbe.awaitCompletedCheckpoint(cluster, dedupJob.getJobID(), WAIT);
        assertThat(FlinkJobProbe.restartedAnyTask(cluster, dedupJob.getJobID()))
                .as("the dedup job restarted")
                .isTrue();
        assertThat(FlinkJobProbe.restartedAnyTask(cluster, normalizer.getJobID()))
                .as("the normalizer restarted too")
                .isTrue();
        assertOutputMatchesGroundTruth(dedup, truth);
        assertThat(
                        gauges(
                                PipelineMetric.FLINK_CHECKPOINT_DURATION,
                                "job",
                                "dedup-job-" + dedup.requests()))
                .as("checkpoint duration of the dedup job, via the metrics bridge")
                .isNotEmpty()
                .allSatisfy(duration -> assertThat(duration).isNotNegative().isFinite());
        assertThat(gauge(PipelineMetric.FLINK_STATE_KEYS, "state", Deduplicator.STATE_NAME))
                .as("RocksDB's key estimate of the dedup state, via the metrics bridge")
                .isPositive();
        dedupJob.cancel().get();
        normalizer.cancel().get();
    }

    private static TrafficSimulator.Generation traffic(
            NormalizerJobFixture.Topics topics, Scenario scenario, long seed) {
        return TrafficSimulator.generate(
                SimulatorConfig.builder()
                        .seed(seed)
                        .scenario(scenario)
                        .start(
                                Instant.now()
                                        .truncatedTo(ChronoUnit.MINUTES)
                                        .minus(Duration.ofMinutes(20)))
                        .duration(Duration.ofMinutes(3))
                        .eventsPerSecond(100)
                        .topics(topics.rawTopicNames())
                        .build());
    }

    /**
     * The deduplicated topics against the simulator's truth, not against the input topics: each
     * distinct request once, nothing else, each with the content it was first sent with.
     */
    private static void assertOutputMatchesGroundTruth(
            DedupJobFixture.Topics dedup, GroundTruth truth) {
        List<ConsumerRecord<byte[], byte[]>> requests = drainAll(dedup.requests());
        Map<RequestKey, RequestEvent> byKey = new HashMap<>();
        Map<RequestKey, Long> clocks = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : requests) {
            RequestEvent event = EventCodec.decodeRequest(record.value());
            RequestKey key = new RequestKey(event.source(), event.requestId());
            RequestEvent earlier = byKey.put(key, event);
            assertThat(earlier).as("request %s written twice", event.dedupKey()).isNull();
            clocks.put(key, record.timestamp());
        }
        assertThat(byKey.keySet()).isEqualTo(truth.distinctRequests().keySet());
        for (Map.Entry<RequestKey, LogicalRequest> expected : truth.distinctRequests().entrySet()) {
            assertThat(clocks.get(expected.getKey()))
                    .as(
                            "the clock of %s: its raw partition's, no earlier than its first copy's",
                            expected.getKey())
                    .isGreaterThanOrEqualTo(expected.getValue().emissionTimeMs() - 10_001);
            RequestEvent actual = byKey.get(expected.getKey());
            assertThat(actual)
                    .as("request %s", expected.getKey())
                    .usingRecursiveComparison()
                    .withEqualsForType((a, b) -> Double.compare(a, b) == 0, Double.class)
                    // the wire format has no null string: absent is "" after the normalizer
                    .ignoringFields("dependency")
                    .isEqualTo(
                            expected.getValue()
                                    .toRequestEvent(actual.tenantToken(), actual.ingestTimeMs()));
        }
        assertThat((long) drainAll(dedup.metrics()).size())
                .as("metric samples carry no duplicates in this traffic")
                .isEqualTo(truth.expectedNormalized(EventKind.METRIC_SAMPLE));
        assertThat((long) drainAll(dedup.status()).size())
                .isEqualTo(truth.expectedNormalized(EventKind.STATUS));
    }

    private Path keyFile() throws Exception {
        Path keyFile = tmp.resolve("tenant.key");
        if (!keyFile.toFile().exists()) {
            TenantKeyFile.writeRandom(keyFile);
        }
        return keyFile;
    }

    private static List<ConsumerRecord<byte[], byte[]>> drainAll(String topic) {
        return KAFKA.drainUntilQuiet(topic, Duration.ofSeconds(3), WAIT, true);
    }

    /** The sum of a bridged Flink gauge over the meters with this tag. */
    private static double gauge(PipelineMetric metric, String tag, String value) {
        return gauges(metric, tag, value).stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The value of each gauge of {@code metric} with the tag, one per task manager and so on. */
    private static List<Double> gauges(PipelineMetric metric, String tag, String value) {
        return Search.in(Metrics.globalRegistry)
                .name(metric.meterName())
                .tag(tag, value)
                .gauges()
                .stream()
                .map(Gauge::value)
                .toList();
    }

    /** Each dedup counter summed over its tags. */
    private static Map<String, Double> dedupCounters() {
        Map<String, Double> sums = new HashMap<>();
        for (String name :
                List.of(
                        "dedup.events.in",
                        "dedup.events.out",
                        "dedup.duplicates.dropped",
                        "dedup.conflicts")) {
            sums.put(
                    name,
                    Search.in(Metrics.globalRegistry).name(name).counters().stream()
                            .mapToDouble(Counter::count)
                            .sum());
        }
        return sums;
    }

    private static Map<String, Double> delta(
            Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> delta = new HashMap<>();
        after.forEach((name, value) -> delta.put(name, value - before.getOrDefault(name, 0.0)));
        return delta;
    }
}
