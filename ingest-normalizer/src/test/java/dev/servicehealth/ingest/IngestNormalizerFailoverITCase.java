package dev.servicehealth.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.model.DeadLetter;
import dev.servicehealth.model.DeadLetterReason;
import dev.servicehealth.model.EventCodec;
import dev.servicehealth.model.EventKind;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.privacy.TenantKeyFile;
import dev.servicehealth.simulator.GroundTruth;
import dev.servicehealth.simulator.RequestKey;
import dev.servicehealth.simulator.Scenario;
import dev.servicehealth.simulator.SimulatorConfig;
import dev.servicehealth.simulator.TopicNames;
import dev.servicehealth.simulator.TrafficSimulator;
import dev.servicehealth.testing.FlinkJobProbe;
import dev.servicehealth.testing.SharedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once by failure: the normalizer runs unbounded on two task managers while the traffic
 * streams in; after a completed checkpoint, with input still arriving, one task manager is killed
 * and replaced. The job restores from the checkpoint and re-reads what followed it, and the
 * read_committed outputs must hold exactly what the simulator's ground truth says: nothing lost,
 * nothing twice. (With an at-least-once sink this test fails: the re-read records appear twice.)
 */
class IngestNormalizerFailoverITCase {
    private static final int PARTITIONS = 3;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @RegisterExtension static final SharedKafkaBroker KAFKA = new SharedKafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK = NormalizerJobFixture.miniCluster(2, 1);

    @TempDir Path tmp;

    @Test
    @Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
    void killingATaskManagerMidStreamLosesAndDuplicatesNothing(
            @InjectMiniCluster MiniCluster miniCluster) throws Exception {
        NormalizerJobFixture.Topics topics = NormalizerJobFixture.Topics.create(KAFKA, PARTITIONS);
        TopicNames raw = topics.rawTopicNames();
        TrafficSimulator.Generation traffic =
                TrafficSimulator.generate(
                        SimulatorConfig.builder()
                                .seed(4242L)
                                .scenario(Scenario.BAD_DEPLOY_HOT_ENDPOINT)
                                .start(
                                        Instant.now()
                                                .truncatedTo(ChronoUnit.MINUTES)
                                                .minus(Duration.ofMinutes(20)))
                                .duration(Duration.ofMinutes(3))
                                .eventsPerSecond(100)
                                .topics(raw)
                                .build());
        GroundTruth truth = traffic.groundTruth();
        Path keyFile = tmp.resolve("tenant.key");
        TenantKeyFile.writeRandom(keyFile);
        JobClient job = NormalizerJobFixture.start(KAFKA.bootstrapServers(), topics, keyFile);
        awaitCompletedCheckpoint(miniCluster, job.getJobID());
        CompletableFuture<Void> producing =
                CompletableFuture.runAsync(
                        () -> NormalizerJobFixture.producePaced(KAFKA, traffic.records()));
        awaitCompletedCheckpoint(miniCluster, job.getJobID());
        assertThat(producing).as("input still arriving when the task manager dies").isNotDone();
        miniCluster.terminateTaskManager(0).get();
        miniCluster.startTaskManager();
        producing.get();

        List<ConsumerRecord<byte[], byte[]>> requests =
                KAFKA.drain(
                        topics.requests(),
                        (int) truth.expectedNormalized(EventKind.REQUEST),
                        WAIT,
                        true);
        List<ConsumerRecord<byte[], byte[]>> deadLetters =
                KAFKA.drain(
                        topics.deadLetters(), (int) truth.expectedDeadLetterTotal(), WAIT, true);
        List<ConsumerRecord<byte[], byte[]>> metrics =
                KAFKA.drain(
                        topics.metrics(),
                        (int) truth.expectedNormalized(EventKind.METRIC_SAMPLE),
                        WAIT,
                        true);
        // the last checkpoint after the expected counts: anything extra would be visible by now
        awaitCompletedCheckpoint(miniCluster, job.getJobID());
        assertThat(FlinkJobProbe.restartedAnyTask(miniCluster, job.getJobID()))
                .as("the job restarted")
                .isTrue();
        requests = drainAll(topics.requests());
        deadLetters = drainAll(topics.deadLetters());
        metrics = drainAll(topics.metrics());
        job.cancel().get();

        assertThat((long) requests.size()).isEqualTo(truth.expectedNormalized(EventKind.REQUEST));
        assertThat((long) metrics.size())
                .isEqualTo(truth.expectedNormalized(EventKind.METRIC_SAMPLE));
        Set<RequestKey> keys = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : requests) {
            RequestEvent event = EventCodec.decodeRequest(record.value());
            keys.add(new RequestKey(event.source(), event.requestId()));
        }
        assertThat(keys).isEqualTo(truth.distinctRequests().keySet());

        List<DeadLetter> letters =
                deadLetters.stream().map(r -> EventCodec.decodeDeadLetter(r.value())).toList();
        assertThat(
                        letters.stream()
                                .map(
                                        d ->
                                                d.sourceTopic()
                                                        + "-"
                                                        + d.sourcePartition()
                                                        + "@"
                                                        + d.sourceOffset())
                                .distinct()
                                .count())
                .as("each bad raw record dead-lettered once")
                .isEqualTo(letters.size());
        Map<DeadLetterReason, Long> byReason =
                letters.stream()
                        .collect(
                                Collectors.groupingBy(
                                        DeadLetter::reason,
                                        () -> new EnumMap<>(DeadLetterReason.class),
                                        Collectors.counting()));
        assertThat(byReason).isEqualTo(truth.expectedDeadLetters());
    }

    private static List<ConsumerRecord<byte[], byte[]>> drainAll(String topic) {
        return KAFKA.drainUntilQuiet(topic, Duration.ofSeconds(3), WAIT, true);
    }

    private static void awaitCompletedCheckpoint(MiniCluster miniCluster, JobID job)
            throws Exception {
        FlinkJobProbe.awaitCompletedCheckpoint(miniCluster, job, WAIT);
    }
}
