package dev.servicehealth.ingest;

import dev.servicehealth.ingest.kafka.DeadLetterSerializer;
import dev.servicehealth.ingest.kafka.NormalizedRecordSerializer;
import dev.servicehealth.ingest.kafka.RawRecordDeserializer;
import dev.servicehealth.ingest.kafka.SchemaDriftSerializer;
import dev.servicehealth.ingest.normalize.RawRecord;
import dev.servicehealth.runtime.JobConfig;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The ingest-normalizer Flink job: four raw topics in, three normalized topics and a dead-letter
 * topic out, exactly once (Kafka source offsets in checkpoints, transactional sinks; downstream
 * reads with {@code isolation.level=read_committed}).
 *
 * <pre>
 *  raw.gateway ─┐                        ┌─► normalized.requests.v1
 *  raw.auth ────┤                        ├─► normalized.metrics.v1
 *  raw.metrics ─┼─► KafkaSource ─► normalize ─► normalized.status.v1
 *  raw.status ──┘                 ▲      ├─► deadletter.ingest.v1
 *                                │      └─► drift.schema.v1 (counts, about once a minute)
 *  reference.updates.v1 ──────────┘ (read by each subtask, not a stream input)
 * </pre>
 */
public final class IngestNormalizerJob {
    private IngestNormalizerJob() {}

    public static void main(String[] args) throws Exception {
        IngestNormalizerConfig config =
                JobConfig.fromArgsOrExit(
                        args, IngestNormalizerConfig::fromArgs, IngestNormalizerConfig.usage());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        defineWorkflow(env, config);
        env.execute("ingest-normalizer");
    }

    /** Wires the real Kafka source and sinks around the topology. */
    public static void defineWorkflow(
            StreamExecutionEnvironment env, IngestNormalizerConfig config) {
        config.configure(env);
        Configuration pipeline = new Configuration();
        // Safe here, and 4 % of the CPU otherwise: no function keeps or changes a record it was
        // given, and every emitted record is a new object.
        pipeline.set(PipelineOptions.OBJECT_REUSE, true);
        // every type crossing an operator is a record with Flink's POJO serializer: a type that
        // would fall back to Kryo fails the job graph instead of slowing the job down unnoticed
        pipeline.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(pipeline);

        DataStream<RawRecord> raw =
                env.fromSource(
                                config.committedSource(
                                        List.copyOf(config.sourceByTopic().keySet()),
                                        new RawRecordDeserializer()),
                                WatermarkStrategy.noWatermarks(),
                                "raw-topics")
                        .uid("ingest-normalizer.raw-source");
        IngestNormalizerTopology.Streams streams =
                IngestNormalizerTopology.build(raw, config.sourceByTopic(), config.settings());

        streams.events()
                .sinkTo(
                        config.exactlyOnceSink(
                                "events", new NormalizedRecordSerializer(config.outputTopics())))
                .uid("ingest-normalizer.events-sink")
                .name("normalized-topics");
        streams.deadLetters()
                .sinkTo(
                        config.exactlyOnceSink(
                                "dead-letters",
                                new DeadLetterSerializer(
                                        config.get(IngestNormalizerConfig.DEAD_LETTER_TOPIC))))
                .uid("ingest-normalizer.dead-letter-sink")
                .name("dead-letter-topic");
        streams.schemaDrift()
                .sinkTo(
                        config.exactlyOnceSink(
                                "schema-drift",
                                new SchemaDriftSerializer(
                                        config.get(IngestNormalizerConfig.SCHEMA_DRIFT_TOPIC))))
                .uid("ingest-normalizer.schema-drift-sink")
                .name("schema-drift-topic");
    }
}
