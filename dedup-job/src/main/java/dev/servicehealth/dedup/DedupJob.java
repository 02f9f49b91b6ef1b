package dev.servicehealth.dedup;

import dev.servicehealth.dedup.kafka.DedupedEventSerializer;
import dev.servicehealth.dedup.kafka.NormalizedEventDeserializer;
import dev.servicehealth.model.EventKind;
import dev.servicehealth.runtime.JobConfig;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBNativeMetricOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.rocksdb.CompressionType;

/**
 * The dedup Flink job: the three normalized topics in, the three deduplicated topics out, each
 * event once, exactly once across failures (offsets and dedup state in the same checkpoint,
 * transactional sink; downstream reads with {@code isolation.level=read_committed}).
 *
 * <pre>
 *  normalized.requests.v1 ─► KafkaSource ─► keyBy(identity) ─► first copy wins ─► dedup.requests.v1
 *  normalized.metrics.v1 ──► KafkaSource ─► keyBy(identity) ─► first copy wins ─► dedup.metrics.v1
 *  normalized.status.v1 ───► KafkaSource ─► keyBy(identity) ─► first copy wins ─► dedup.status.v1
 *                       (one lane per kind; RocksDB, TTL; clock marks in and out for the first two)
 * </pre>
 */
public final class DedupJob {
    private DedupJob() {}

    public static void main(String[] args) throws Exception {
        DedupJobConfig config =
                JobConfig.fromArgsOrExit(args, DedupJobConfig::fromArgs, DedupJobConfig.usage());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        defineWorkflow(env, config);
        env.execute("dedup-job");
    }

    /**
     * Wires the real Kafka sources and sinks and the RocksDB state around the topology, one lane
     * per kind: requests and metric samples read and write clocked topics (their watermarks come
     * from the normalizer's clock marks and go on to the aggregator's), status events carry no
     * clock (decision 0009).
     */
    public static void defineWorkflow(StreamExecutionEnvironment env, DedupJobConfig config) {
        config.configure(env);
        env.configure(stateConfiguration());
        Map<EventKind, String> out = config.outputTopics();
        DedupedEventSerializer serializer = new DedupedEventSerializer(out);
        for (EventKind kind : List.of(EventKind.REQUEST, EventKind.METRIC_SAMPLE)) {
            String lane = kind.tag();
            DataStream<NormalizedEvent> events =
                    config.clockedSource(
                            env,
                            List.of(config.inputTopic(kind)),
                            new NormalizedEventDeserializer(config.inputTopics()),
                            "normalized-" + lane,
                            "dedup-job.normalized-source-" + lane);
            config.clockedSink(
                            DedupTopology.build(events, config.settings(), lane),
                            "events-" + lane,
                            serializer,
                            List.of(out.get(kind)),
                            config.get(DedupJobConfig.CLOCK_MARK_INTERVAL),
                            "dedup-job.dedup-sink-" + lane)
                    .name("dedup-topic-" + lane);
        }
        String status = EventKind.STATUS.tag();
        DataStream<NormalizedEvent> statusEvents =
                env.fromSource(
                                config.committedSource(
                                        List.of(config.inputTopic(EventKind.STATUS)),
                                        new NormalizedEventDeserializer(config.inputTopics())),
                                WatermarkStrategy.noWatermarks(),
                                "normalized-" + status)
                        .uid("dedup-job.normalized-source-" + status);
        DedupTopology.build(statusEvents, config.settings(), status)
                .sinkTo(config.exactlyOnceSink("events-" + status, serializer))
                .uid("dedup-job.dedup-sink-" + status)
                .name("dedup-topic-" + status);
    }

    /**
     * RocksDB, because the state is far larger than memory at production rates; incremental
     * checkpoints, because each one adds only the new SST files; bloom filters on the files and the
     * memtable, because most lookups are for events never seen (a miss must not search every
     * level); no compression, because the keys are random hashes (it only cost CPU). Each choice is
     * measured in docs/benchmarks.md.
     */
    public static Configuration stateConfiguration() {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
        conf.set(
                RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL,
                List.of(CompressionType.NO_COMPRESSION));
        conf.set(RocksDBOptions.OPTIONS_FACTORY, DedupStateOptions.class.getName());
        conf.set(RocksDBNativeMetricOptions.ESTIMATE_LIVE_DATA_SIZE, true);
        conf.set(RocksDBNativeMetricOptions.MONITOR_TOTAL_SST_FILES_SIZE, true);
        conf.set(RocksDBNativeMetricOptions.ESTIMATE_NUM_KEYS, true);
        conf.set(RocksDBNativeMetricOptions.COLUMN_FAMILY_AS_VARIABLE, true);
        conf.set(RocksDBNativeMetricOptions.MONITOR_CUR_SIZE_ALL_MEM_TABLE, true);
        // the job never changes a record it was given, and keeps one only in keyed state (a held
        // too-late copy), which stores a serialized copy
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return conf;
    }
}
