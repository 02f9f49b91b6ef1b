package dev.servicehealth.ingest;

import dev.servicehealth.ingest.kafka.DeadLetterSerializer;
import dev.servicehealth.ingest.kafka.NormalizedRecordSerializer;
import dev.servicehealth.ingest.kafka.RawRecordDeserializer;
import dev.servicehealth.ingest.kafka.SchemaDriftSerializer;
import dev.servicehealth.ingest.normalize.RawRecord;
import dev.servicehealth.model.EventKind;
import dev.servicehealth.runtime.JobConfig;
import java.util.List;
import java.util.Map;
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
 *  raw.gateway ─┐                             ┌─► normalized.requests.v1 (+ clock marks)
 *  raw.auth ────┼─► KafkaSource ─► normalize ─┴─► normalized.status.v1
 *  raw.status ──┘                     │  ▲
 *  raw.metrics ───► KafkaSource ─► normalize ──► normalized.metrics.v1 (+ clock marks)
 *                          both lanes │  ├─────► deadletter.ingest.v1
 *                                     │  └─────► drift.schema.v1 (counts, about once a minute)
 *  reference.updates.v1 ──────────────┘ (read by each subtask, not a stream input)
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

    /**
     * Wires the real Kafka sources and sinks around the topology, in two lanes: request lines
     * (gateway, auth, status) and metrics, each with its own source, watermark and clock marks, so
     * a metrics feed that falls behind never holds back the request events' clock (decision 0009).
     */
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

        Map<EventKind, String> topics = config.outputTopics();
        IngestNormalizerTopology.Streams requestLines =
                lane(
                        env,
                        config,
                        "requests",
                        config.requestLineTopics(),
                        topics.get(EventKind.REQUEST));
        IngestNormalizerTopology.Streams metrics =
                lane(
                        env,
                        config,
                        "metrics",
                        List.of(config.get(IngestNormalizerConfig.RAW_METRICS_TOPIC)),
                        topics.get(EventKind.METRIC_SAMPLE));

        requestLines
                .deadLetters()
                .union(metrics.deadLetters())
                .sinkTo(
                        config.exactlyOnceSink(
                                "dead-letters",
                                new DeadLetterSerializer(
                                        config.get(IngestNormalizerConfig.DEAD_LETTER_TOPIC))))
                .uid("ingest-normalizer.dead-letter-sink")
                .name("dead-letter-topic");
        requestLines
                .schemaDrift()
                .union(metrics.schemaDrift())
                .sinkTo(
                        config.exactlyOnceSink(
                                "schema-drift",
                                new SchemaDriftSerializer(
                                        config.get(IngestNormalizerConfig.SCHEMA_DRIFT_TOPIC))))
                .uid("ingest-normalizer.schema-drift-sink")
                .name("schema-drift-topic");
    }

    /**
     * One lane: the raw topics' source, watermarked per partition by the Kafka timestamp (bounded
     * out-of-orderness, idleness), the normalizer, and the events' sink, which writes the lane's
     * watermark into every partition of {@code clockedTopic}.
     */
    private static IngestNormalizerTopology.Streams lane(
            StreamExecutionEnvironment env,
            IngestNormalizerConfig config,
            String lane,
            List<String> rawTopics,
            String clockedTopic) {
        DataStream<RawRecord> raw =
                env.fromSource(
                                config.committedSource(rawTopics, new RawRecordDeserializer()),
                                WatermarkStrategy.<RawRecord>forBoundedOutOfOrderness(
                                                config.get(
                                                        IngestNormalizerConfig
                                                                .MAX_OUT_OF_ORDERNESS))
                                        .withIdleness(config.get(IngestNormalizerConfig.IDLENESS)),
                                "raw-" + lane)
                        .uid("ingest-normalizer.raw-source-" + lane);
        IngestNormalizerTopology.Streams streams =
                IngestNormalizerTopology.build(
                        raw, config.sourceByTopic(), config.settings(), lane);
        config.clockedSink(
                        streams.events(),
                        "events-" + lane,
                        new NormalizedRecordSerializer(config.outputTopics()),
                        List.of(clockedTopic),
                        config.get(IngestNormalizerConfig.CLOCK_MARK_INTERVAL),
                        "ingest-normalizer.events-sink-" + lane)
                .name("normalized-topics-" + lane);
        return streams;
    }
}
