package dev.servicehealth.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.dedup.DedupJobFixture;
import dev.servicehealth.ingest.NormalizerJobFixture;
import dev.servicehealth.model.catalog.CounterKpi;
import dev.servicehealth.model.catalog.MetricCatalog;
import dev.servicehealth.simulator.CaptureWriter;
import dev.servicehealth.simulator.KafkaTrafficWriter;
import dev.servicehealth.simulator.Pacing;
import dev.servicehealth.simulator.Replayer;
import dev.servicehealth.simulator.SimulatedRecord;
import dev.servicehealth.simulator.TopicNames;
import dev.servicehealth.testing.FlinkJobProbe;
import dev.servicehealth.testing.SharedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The whole health pipeline on the shared broker, for the aggregator's tests and the tests
 * downstream of it: the real normalizer, dedup job and aggregator, each at parallelism 2 with 1 s
 * checkpoints and transactional sinks, on topics of their own.
 */
public final class HealthPipelineFixture implements AutoCloseable {

    /** The aggregator's output topics of one run. */
    public record KpiTopics(
            String service, String drilldown, String saturation, String history, String tooLate) {
        public static KpiTopics create(SharedKafkaBroker kafka, int partitions) {
            return new KpiTopics(
                    kafka.createTopic("kpi.service", partitions),
                    kafka.createTopic("kpi.drilldown", partitions),
                    kafka.createTopic("kpi.saturation", partitions),
                    kafka.createTopic("kpi.history", partitions),
                    kafka.createTopic("kpi.too-late", partitions));
        }
    }

    private final String bootstrapServers;
    private final NormalizerJobFixture.Topics normalized;
    private final DedupJobFixture.Topics dedup;
    private final KpiTopics kpi;
    private final Path tenantKeyFile;
    private final Path normalizerCheckpoints;
    private JobClient normalizer;
    private long emptyRecordsAfterTheTraffic;
    private final JobClient dedupJob;
    private JobClient aggregator;

    private HealthPipelineFixture(
            String bootstrapServers,
            NormalizerJobFixture.Topics normalized,
            DedupJobFixture.Topics dedup,
            KpiTopics kpi,
            Path tenantKeyFile,
            Path normalizerCheckpoints,
            JobClient normalizer,
            JobClient dedupJob,
            JobClient aggregator) {
        this.bootstrapServers = bootstrapServers;
        this.normalized = normalized;
        this.dedup = dedup;
        this.kpi = kpi;
        this.tenantKeyFile = tenantKeyFile;
        this.normalizerCheckpoints = normalizerCheckpoints;
        this.normalizer = normalizer;
        this.dedupJob = dedupJob;
        this.aggregator = aggregator;
    }

    /** Creates the topics of every stage and starts the three jobs; they run until closed. */
    public static HealthPipelineFixture start(
            SharedKafkaBroker kafka, int partitions, KpiTopics kpi, Path tenantKeyFile)
            throws Exception {
        return start(kafka, partitions, kpi, tenantKeyFile, MetricCatalog.COUNTERS, 0);
    }

    /**
     * As {@link #start(SharedKafkaBroker, int, KpiTopics, Path)}, the aggregator counting with
     * {@code counters} in {@code generation}: a release with a wrong definition, to repair.
     */
    public static HealthPipelineFixture start(
            SharedKafkaBroker kafka,
            int partitions,
            KpiTopics kpi,
            Path tenantKeyFile,
            List<CounterKpi> counters,
            int generation)
            throws Exception {
        NormalizerJobFixture.Topics normalized =
                NormalizerJobFixture.Topics.create(kafka, partitions);
        DedupJobFixture.Topics dedup = DedupJobFixture.Topics.create(kafka, partitions);
        Path normalizerCheckpoints =
                tenantKeyFile.resolveSibling("normalizer-checkpoints-" + kpi.service());
        JobClient normalizer =
                NormalizerJobFixture.startRestorable(
                        kafka.bootstrapServers(),
                        normalized,
                        tenantKeyFile,
                        normalizerCheckpoints,
                        Optional.empty());
        JobClient dedupJob = DedupJobFixture.start(kafka.bootstrapServers(), normalized, dedup);
        JobClient aggregator =
                startAggregator(
                        kafka.bootstrapServers(),
                        dedup,
                        kpi,
                        counters,
                        generation,
                        Optional.empty());
        return new HealthPipelineFixture(
                kafka.bootstrapServers(),
                normalized,
                dedup,
                kpi,
                tenantKeyFile,
                normalizerCheckpoints,
                normalizer,
                dedupJob,
                aggregator);
    }

    private static JobClient startAggregator(
            String bootstrapServers,
            DedupJobFixture.Topics dedup,
            KpiTopics kpi,
            List<CounterKpi> counters,
            int generation,
            Optional<String> savepoint)
            throws Exception {
        Configuration recovery = new Configuration();
        savepoint.ifPresent(path -> recovery.set(StateRecoveryOptions.SAVEPOINT_PATH, path));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(recovery);
        HealthAggregatorJob.defineWorkflow(
                env,
                HealthAggregatorConfig.fromMap(
                        Map.ofEntries(
                                Map.entry("bootstrap-servers", bootstrapServers),
                                Map.entry("topic.dedup.requests", dedup.requests()),
                                Map.entry("topic.dedup.metrics", dedup.metrics()),
                                Map.entry("topic.kpi.service", kpi.service()),
                                Map.entry("topic.kpi.drilldown", kpi.drilldown()),
                                Map.entry("topic.kpi.saturation", kpi.saturation()),
                                Map.entry("topic.kpi.history", kpi.history()),
                                Map.entry("topic.kpi.too-late", kpi.tooLate()),
                                Map.entry("group-id", "it-" + kpi.service()),
                                Map.entry("transactional-id-prefix", "it-" + kpi.service()),
                                Map.entry("checkpoint-interval", "1 s"),
                                Map.entry("transaction-timeout", "1 min"),
                                Map.entry("generation", Integer.toString(generation)),
                                Map.entry("metrics-port", "-1"),
                                Map.entry("parallelism", "2"))),
                counters);
        return env.executeAsync("health-aggregator-" + kpi.service() + "-g" + generation);
    }

    /**
     * Deploys another aggregator as a release does: the running one stopped with a savepoint in
     * {@code savepoints}, the new one, counting with {@code counters} in {@code generation},
     * started from it (its open windows move on to the new generation).
     */
    public void redeployAggregator(Path savepoints, List<CounterKpi> counters, int generation)
            throws Exception {
        String savepoint =
                aggregator
                        .stopWithSavepoint(
                                false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get();
        aggregator =
                startAggregator(
                        bootstrapServers, dedup, kpi, counters, generation, Optional.of(savepoint));
    }

    /** The raw topics the simulator writes to, by kind. */
    public TopicNames rawTopicNames() {
        return normalized.rawTopicNames();
    }

    public NormalizerJobFixture.Topics normalized() {
        return normalized;
    }

    public DedupJobFixture.Topics dedup() {
        return dedup;
    }

    public KpiTopics kpi() {
        return kpi;
    }

    public JobClient aggregator() {
        return aggregator;
    }

    /**
     * Sends the records to the raw topics in emission order as fast as the broker takes them: the
     * jobs read a backlog at full speed, each subtask at its own pace, as after an outage. Then
     * time moves on, as it does in production ({@link #letTimeMoveOn}).
     */
    public void play(List<SimulatedRecord> records) {
        write(records);
        letTimeMoveOn(records);
    }

    private void write(List<SimulatedRecord> records) {
        try (KafkaTrafficWriter writer = new KafkaTrafficWriter(bootstrapServers)) {
            for (SimulatedRecord record : records) {
                writer.send(record);
            }
            writer.flush();
        } catch (Exception e) {
            throw new IllegalStateException("producing the traffic failed", e);
        }
    }

    /**
     * After the traffic, one empty record (a dead letter, no event) in every raw partition, 15
     * minutes after the last record: every raw partition's clock passes the end of the traffic plus
     * the lateness bound, so every window becomes final and every too-late copy the dedup job holds
     * is written, as they would be in production, where the traffic does not stop.
     */
    private void letTimeMoveOn(List<SimulatedRecord> records) {
        long later = records.get(records.size() - 1).timestampMs() + 15 * 60_000;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            TopicNames raw = rawTopicNames();
            for (String topic : List.of(raw.gateway(), raw.auth(), raw.metrics(), raw.status())) {
                for (PartitionInfo partition : producer.partitionsFor(topic)) {
                    producer.send(
                            new ProducerRecord<>(
                                    topic, partition.partition(), later, null, new byte[0]));
                    emptyRecordsAfterTheTraffic++;
                }
            }
            producer.flush();
        }
    }

    /** The empty records {@link #letTimeMoveOn} wrote: dead letters of the fixture's own. */
    public long emptyRecordsAfterTheTraffic() {
        return emptyRecordsAfterTheTraffic;
    }

    /**
     * Writes the records to a capture directory, as {@code ./simulator generate --out-dir} does,
     * and replays it into the raw topics at maximum speed, as {@code ./simulator replay
     * --max-speed} does.
     */
    public Replayer.Result replayCapture(List<SimulatedRecord> records, Path captureDir)
            throws Exception {
        try (CaptureWriter capture = CaptureWriter.forTopics(captureDir, rawTopicNames())) {
            for (SimulatedRecord record : records) {
                capture.send(record.captured());
            }
        }
        Replayer.Result result;
        try (KafkaTrafficWriter writer = new KafkaTrafficWriter(bootstrapServers)) {
            result = new Replayer(Pacing.maxSpeed()).replay(captureDir, writer);
        }
        letTimeMoveOn(records);
        return result;
    }

    /**
     * Plays the first half of the records, kills a task manager once the aggregator has written
     * rows of it and completed a checkpoint since, starts a new one and plays the second half:
     * every job restores from its last checkpoint while the backlog is still being read and more
     * keeps arriving.
     */
    public void playKillingATaskManager(
            SharedKafkaBroker kafka, MiniCluster cluster, List<SimulatedRecord> records)
            throws Exception {
        int half = records.size() / 2;
        write(records.subList(0, half));
        assertThat(kafka.drain(kpi.service(), 1, Duration.ofSeconds(90), true))
                .as("the aggregator wrote rows of the first half")
                .isNotEmpty();
        FlinkJobProbe.awaitCompletedCheckpoint(
                cluster, aggregator.getJobID(), Duration.ofSeconds(15));
        cluster.terminateTaskManager(0).get();
        cluster.startTaskManager();
        play(records.subList(half, records.size()));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!FlinkJobProbe.restartedAnyTask(cluster, aggregator.getJobID())
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(FlinkJobProbe.restartedAnyTask(cluster, aggregator.getJobID()))
                .as("the aggregator restarted")
                .isTrue();
    }

    /**
     * Plays the records in three parts at full speed: the first third of the traffic's time; then,
     * with the normalizer cancelled after a checkpoint of all that, the next {@code stoppedFor} of
     * it, which waits on the raw topics while the dedup job and aggregator keep running; then, with
     * the normalizer started again from its last checkpoint, the rest.
     */
    public void playStoppingTheNormalizer(
            MiniCluster cluster, List<SimulatedRecord> records, Duration stoppedFor)
            throws Exception {
        long first = records.get(0).timestampMs();
        long last = records.get(records.size() - 1).timestampMs();
        long stopAt = first + (last - first) / 3;
        long restartAt = stopAt + stoppedFor.toMillis();
        write(records.stream().filter(r -> r.timestampMs() < stopAt).toList());
        // two checkpoints after the part was written: the second covers what the first began
        FlinkJobProbe.awaitCompletedCheckpoint(
                cluster, normalizer.getJobID(), Duration.ofSeconds(15));
        FlinkJobProbe.awaitCompletedCheckpoint(
                cluster, normalizer.getJobID(), Duration.ofSeconds(15));
        normalizer.cancel().get();
        write(
                records.stream()
                        .filter(r -> r.timestampMs() >= stopAt && r.timestampMs() < restartAt)
                        .toList());
        normalizer =
                NormalizerJobFixture.startRestorable(
                        bootstrapServers,
                        normalized,
                        tenantKeyFile,
                        normalizerCheckpoints,
                        Optional.of(NormalizerJobFixture.latestCheckpoint(normalizerCheckpoints)));
        write(records.stream().filter(r -> r.timestampMs() >= restartAt).toList());
        letTimeMoveOn(records);
    }

    /** Cancels the three jobs, downstream first. */
    @Override
    public void close() throws Exception {
        aggregator.cancel().get();
        dedupJob.cancel().get();
        normalizer.cancel().get();
    }
}
