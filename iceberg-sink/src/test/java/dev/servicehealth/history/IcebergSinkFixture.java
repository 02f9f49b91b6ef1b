package dev.servicehealth.history;

import dev.servicehealth.aggregator.HealthPipelineFixture;
import dev.servicehealth.simulator.TopicNames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The iceberg-sink of a test: its topics and catalog, 1 s checkpoints, parallelism 2. */
public final class IcebergSinkFixture {
    /** The topics the sink reads. */
    public record Topics(
            List<String> raw,
            String deadLetters,
            String requests,
            String metrics,
            String status,
            String history,
            String tooLate) {}

    private IcebergSinkFixture() {}

    /**
     * Starts the sink on the topics of {@code pipeline}: its raw, dead-letter, dedup and KPI ones.
     */
    public static JobClient startFor(
            String bootstrapServers,
            HistoryCatalog catalog,
            HealthPipelineFixture pipeline,
            String name)
            throws Exception {
        TopicNames raw = pipeline.rawTopicNames();
        return start(
                bootstrapServers,
                catalog,
                new Topics(
                        List.of(raw.gateway(), raw.auth(), raw.metrics(), raw.status()),
                        pipeline.normalized().deadLetters(),
                        pipeline.dedup().requests(),
                        pipeline.dedup().metrics(),
                        pipeline.dedup().status(),
                        pipeline.kpi().history(),
                        pipeline.kpi().tooLate()),
                name,
                Map.of());
    }

    /**
     * Starts the sink; {@code more} adds or overrides arguments (the maintenance's, say).
     *
     * @param name the consumer group, transactional id prefix and job name
     */
    public static JobClient start(
            String bootstrapServers,
            HistoryCatalog catalog,
            Topics topics,
            String name,
            Map<String, String> more)
            throws Exception {
        Map<String, String> conf = new HashMap<>();
        conf.put("bootstrap-servers", bootstrapServers);
        conf.put("catalog-name", catalog.name());
        conf.put("catalog-uri", catalog.uri());
        conf.put("warehouse", catalog.warehouse());
        conf.put("topics.raw", String.join(";", topics.raw()));
        conf.put("topic.dead-letters", topics.deadLetters());
        conf.put("topic.dedup.requests", topics.requests());
        conf.put("topic.dedup.metrics", topics.metrics());
        conf.put("topic.dedup.status", topics.status());
        conf.put("topic.kpi.history", topics.history());
        conf.put("topic.kpi.too-late", topics.tooLate());
        conf.put("group-id", name);
        conf.put("checkpoint-interval", "1 s");
        conf.put("metrics-port", "-1");
        conf.put("parallelism", "2");
        conf.putAll(more);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        IcebergSinkJob.defineWorkflow(env, IcebergSinkConfig.fromMap(conf));
        return env.executeAsync(name);
    }
}
