package dev.servicehealth.ingest;

import dev.servicehealth.simulator.KafkaTrafficWriter;
import dev.servicehealth.simulator.SimulatedRecord;
import dev.servicehealth.simulator.TopicNames;
import dev.servicehealth.testing.SharedKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * Runs the real normalizer job (real Kafka source and transactional sinks) over what is on its raw
 * topics now, at parallelism 2, and returns when it has finished and committed.
 */
public final class NormalizerJobFixture {

    /** Unique topics of one run on the shared broker. */
    public record Topics(
            String rawGateway,
            String rawAuth,
            String rawMetrics,
            String rawStatus,
            String reference,
            String requests,
            String metrics,
            String status,
            String deadLetters,
            String schemaDrift) {

        /** The raw topics, as the traffic simulator names them. */
        public TopicNames rawTopicNames() {
            return new TopicNames(rawGateway, rawAuth, rawMetrics, rawStatus);
        }

        public static Topics create(SharedKafkaBroker kafka, int partitions) {
            return new Topics(
                    kafka.createTopic("raw.gateway", partitions),
                    kafka.createTopic("raw.auth", partitions),
                    kafka.createTopic("raw.metrics", partitions),
                    kafka.createTopic("raw.status", partitions),
                    kafka.createCompactedTopic("reference.updates", 1),
                    kafka.createTopic("normalized.requests", partitions),
                    kafka.createTopic("normalized.metrics", partitions),
                    kafka.createTopic("normalized.status", partitions),
                    kafka.createTopic("deadletter.ingest", partitions),
                    kafka.createTopic("drift.schema", partitions));
        }
    }

    private NormalizerJobFixture() {}

    /** The MiniCluster the normalizer's integration tests run on. */
    public static MiniClusterExtension miniCluster(int taskManagers, int slotsPerTaskManager) {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(taskManagers)
                        .setNumberSlotsPerTaskManager(slotsPerTaskManager)
                        .build());
    }

    public static void run(String bootstrapServers, Topics topics, Path keyFile) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        IngestNormalizerJob.defineWorkflow(
                env,
                IngestNormalizerConfig.fromMap(config(bootstrapServers, topics, keyFile, true)));
        env.execute("ingest-normalizer-" + topics.requests());
    }

    /** Starts the job without an end: it keeps reading until cancelled. */
    public static JobClient start(String bootstrapServers, Topics topics, Path keyFile)
            throws Exception {
        return start(bootstrapServers, topics, keyFile, Map.of());
    }

    /**
     * Starts the job as {@link #start(String, Topics, Path)} with its checkpoints kept in {@code
     * checkpointDir} and, if {@code restoreFrom} is given, its state restored from there: the job
     * cancelled for an outage and started again.
     */
    public static JobClient startRestorable(
            String bootstrapServers,
            Topics topics,
            Path keyFile,
            Path checkpointDir,
            Optional<Path> restoreFrom)
            throws Exception {
        return start(
                bootstrapServers,
                topics,
                keyFile,
                Map.of("checkpoint-dir", checkpointDir.toUri().toString()),
                restoreFrom);
    }

    private static JobClient start(
            String bootstrapServers, Topics topics, Path keyFile, Map<String, String> extra)
            throws Exception {
        return start(bootstrapServers, topics, keyFile, extra, Optional.empty());
    }

    private static JobClient start(
            String bootstrapServers,
            Topics topics,
            Path keyFile,
            Map<String, String> extra,
            Optional<Path> restoreFrom)
            throws Exception {
        Configuration recovery = new Configuration();
        restoreFrom.ifPresent(
                path -> recovery.set(StateRecoveryOptions.SAVEPOINT_PATH, path.toString()));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(recovery);
        Map<String, String> conf = new HashMap<>(config(bootstrapServers, topics, keyFile, false));
        conf.putAll(extra);
        IngestNormalizerJob.defineWorkflow(env, IngestNormalizerConfig.fromMap(conf));
        return env.executeAsync("ingest-normalizer-" + topics.requests());
    }

    /** The newest complete checkpoint under {@code checkpointDir}, as Flink lays them out. */
    public static Path latestCheckpoint(Path checkpointDir) throws IOException {
        try (Stream<Path> files = Files.walk(checkpointDir, 3)) {
            return files.filter(p -> p.getFileName().toString().equals("_metadata"))
                    .map(Path::getParent)
                    .max(
                            Comparator.comparingLong(
                                    p -> Long.parseLong(p.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new AssertionError("no checkpoint in " + checkpointDir));
        }
    }

    /**
     * Writes {@code records} to their raw topics at about 1,000 per second, so that a job reading
     * them is busy with fresh input for as long as a failure test needs.
     */
    public static void producePaced(SharedKafkaBroker kafka, List<SimulatedRecord> records) {
        try (KafkaTrafficWriter writer = new KafkaTrafficWriter(kafka.bootstrapServers())) {
            int sent = 0;
            for (SimulatedRecord record : records) {
                writer.send(record);
                if (++sent % 100 == 0) {
                    Thread.sleep(100);
                }
            }
            writer.flush();
        } catch (Exception e) {
            throw new IllegalStateException("producing the traffic failed", e);
        }
    }

    private static Map<String, String> config(
            String bootstrapServers, Topics topics, Path keyFile, boolean bounded) {
        Map<String, String> conf = new HashMap<>();
        conf.put("bootstrap-servers", bootstrapServers);
        conf.put("topic.raw.gateway", topics.rawGateway());
        conf.put("topic.raw.auth", topics.rawAuth());
        conf.put("topic.raw.metrics", topics.rawMetrics());
        conf.put("topic.raw.status", topics.rawStatus());
        conf.put("topic.reference", topics.reference());
        conf.put("topic.normalized.requests", topics.requests());
        conf.put("topic.normalized.metrics", topics.metrics());
        conf.put("topic.normalized.status", topics.status());
        conf.put("topic.dead-letter", topics.deadLetters());
        conf.put("topic.schema-drift", topics.schemaDrift());
        // often enough that a test of a few minutes sees several reports
        conf.put("drift-report-interval", "5 s");
        conf.put("group-id", "it-" + topics.requests());
        conf.put("transactional-id-prefix", "it-" + topics.requests());
        conf.put("bounded", String.valueOf(bounded));
        conf.put("checkpoint-interval", "1 s");
        conf.put("transaction-timeout", "1 min");
        conf.put("tenant-key-file", keyFile.toString());
        conf.put("metrics-port", "-1");
        conf.put("parallelism", "2");
        return conf;
    }
}
