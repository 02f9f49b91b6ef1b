package dev.servicehealth.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.dedup.DedupJobFixture;
import dev.servicehealth.ingest.NormalizerJobFixture;
import dev.servicehealth.simulator.KafkaTrafficWriter;
import dev.servicehealth.simulator.SimulatedRecord;
import dev.servicehealth.simulator.TopicNames;
import dev.servicehealth.testing.FlinkJobProbe;
import dev.servicehealth.testing.SharedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

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
    private final JobClient normalizer;
    private final JobClient dedupJob;
    private final JobClient aggregator;

    private HealthPipelineFixture(
            String bootstrapServers,
            NormalizerJobFixture.Topics normalized,
            DedupJobFixture.Topics dedup,
            KpiTopics kpi,
            JobClient normalizer,
            JobClient dedupJob,
            JobClient aggregator) {
        this.bootstrapServers = bootstrapServers;
        this.normalized = normalized;
        this.dedup = dedup;
        this.kpi = kpi;
        this.normalizer = normalizer;
        this.dedupJob = dedupJob;
        this.aggregator = aggregator;
    }

    /** Creates the topics of every stage and starts the three jobs; they run until closed. */
    public static HealthPipelineFixture start(
            SharedKafkaBroker kafka, int partitions, KpiTopics kpi, Path tenantKeyFile)
            throws Exception {
        NormalizerJobFixture.Topics normalized =
                NormalizerJobFixture.Topics.create(kafka, partitions);
        DedupJobFixture.Topics dedup = DedupJobFixture.Topics.create(kafka, partitions);
        JobClient normalizer =
                NormalizerJobFixture.start(kafka.bootstrapServers(), normalized, tenantKeyFile);
        JobClient dedupJob = DedupJobFixture.start(kafka.bootstrapServers(), normalized, dedup);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        HealthAggregatorJob.defineWorkflow(
                env,
                HealthAggregatorConfig.fromMap(
                        Map.ofEntries(
                                Map.entry("bootstrap-servers", kafka.bootstrapServers()),
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
                                Map.entry("metrics-port", "-1"),
                                Map.entry("parallelism", "2"))));
        JobClient aggregator = env.executeAsync("health-aggregator-" + kpi.service());
        return new HealthPipelineFixture(
                kafka.bootstrapServers(), normalized, dedup, kpi, normalizer, dedupJob, aggregator);
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
     * Sends the records to the raw topics in emission order at {@code speedup} times the simulated
     * pace, so the jobs see late events arrive late, as in production, and not all at once as in a
     * replay (a bounded replay through parallel jobs reorders event time by more than the bound).
     */
    public void play(List<SimulatedRecord> records, int speedup) {
        try (KafkaTrafficWriter writer = new KafkaTrafficWriter(bootstrapServers)) {
            long firstEmit = records.get(0).timestampMs();
            long start = System.nanoTime();
            for (SimulatedRecord record : records) {
                long dueNanos = (record.timestampMs() - firstEmit) * 1_000_000 / speedup;
                long waitNanos = dueNanos - (System.nanoTime() - start);
                if (waitNanos > 1_000_000) {
                    Thread.sleep(waitNanos / 1_000_000);
                }
                writer.send(record);
            }
            writer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing", e);
        } catch (Exception e) {
            throw new IllegalStateException("producing the traffic failed", e);
        }
    }

    /**
     * Plays the records as {@link #play} does and, 20 s in, once the aggregator has completed a
     * checkpoint, kills a task manager and starts a new one: every job restores from its last
     * checkpoint while the input is still arriving.
     */
    public void playKillingATaskManager(
            MiniCluster cluster, List<SimulatedRecord> records, int speedup) throws Exception {
        CompletableFuture<Void> producing =
                CompletableFuture.runAsync(() -> play(records, speedup));
        Thread.sleep(20_000);
        FlinkJobProbe.awaitCompletedCheckpoint(
                cluster, aggregator.getJobID(), Duration.ofSeconds(15));
        assertThat(producing).as("input still arriving when the task manager dies").isNotDone();
        cluster.terminateTaskManager(0).get();
        cluster.startTaskManager();
        producing.get();
        assertThat(FlinkJobProbe.restartedAnyTask(cluster, aggregator.getJobID()))
                .as("the aggregator restarted")
                .isTrue();
    }

    /** Cancels the three jobs, downstream first. */
    @Override
    public void close() throws Exception {
        aggregator.cancel().get();
        dedupJob.cancel().get();
        normalizer.cancel().get();
    }
}
