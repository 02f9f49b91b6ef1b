package dev.servicehealth.aggregator;

import dev.servicehealth.aggregator.kafka.KpiRowSerializer;
import dev.servicehealth.aggregator.kafka.TooLateSerializer;
import dev.servicehealth.model.MetricSample;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.catalog.CounterKpi;
import dev.servicehealth.model.catalog.Grain;
import dev.servicehealth.model.catalog.MetricCatalog;
import dev.servicehealth.runtime.DedupedEventDeserializer;
import dev.servicehealth.runtime.JobConfig;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend.PriorityQueueStateType;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.rocksdb.CompressionType;

/**
 * The health-aggregator Flink job: deduplicated request events and metric samples in, KPI upserts
 * per grain, final values and too-late contributions out, exactly once (transactional sinks; Pinot
 * reads read_committed). Event time is the events' own; the watermark is the pipeline clock the
 * dedup job's clock marks carry, which follows the slowest raw partition, and each record's Kafka
 * timestamp is its own clock, by which it is too late or not (decision 0009).
 */
public final class HealthAggregatorJob {
    private HealthAggregatorJob() {}

    public static void main(String[] args) throws Exception {
        HealthAggregatorConfig config =
                JobConfig.fromArgsOrExit(
                        args, HealthAggregatorConfig::fromArgs, HealthAggregatorConfig.usage());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        defineWorkflow(env, config);
        env.execute("health-aggregator");
    }

    public static void defineWorkflow(
            StreamExecutionEnvironment env, HealthAggregatorConfig config) {
        defineWorkflow(env, config, MetricCatalog.COUNTERS);
    }

    /**
     * The job with the request KPIs counted by {@code counters}: the catalog's in production; a
     * test deploys an older, wrong version of them to repair what it wrote.
     */
    public static void defineWorkflow(
            StreamExecutionEnvironment env,
            HealthAggregatorConfig config,
            List<CounterKpi> counters) {
        config.configure(env);
        env.configure(stateConfiguration());

        DataStream<RequestEvent> requests =
                config.clockedSource(
                        env,
                        List.of(config.get(HealthAggregatorConfig.REQUESTS_IN)),
                        DedupedEventDeserializer.requests("health-aggregator"),
                        "dedup-requests",
                        "health-aggregator.dedup-source");
        DataStream<MetricSample> samples =
                config.clockedSource(
                        env,
                        List.of(config.get(HealthAggregatorConfig.METRICS_IN)),
                        DedupedEventDeserializer.metricSamples("health-aggregator"),
                        "dedup-metrics",
                        "health-aggregator.dedup-metrics-source");
        HealthAggregatorTopology.Streams streams =
                HealthAggregatorTopology.build(
                        requests,
                        samples,
                        config.windowSettings(),
                        config.get(HealthAggregatorConfig.FLUSH_INTERVAL),
                        config.get(HealthAggregatorConfig.MAX_BUNDLE_ROWS),
                        counters);

        streams.upserts()
                .sinkTo(
                        config.exactlyOnceSink(
                                "upserts", new KpiRowSerializer(config.upsertTopics())))
                .uid("health-aggregator.upsert-sink")
                .name("kpi-upsert-topics");
        Map<Grain, String> history = new EnumMap<>(Grain.class);
        for (Grain grain : Grain.values()) {
            history.put(grain, config.get(HealthAggregatorConfig.HISTORY_OUT));
        }
        streams.history()
                .sinkTo(config.exactlyOnceSink("history", new KpiRowSerializer(history)))
                .uid("health-aggregator.history-sink")
                .name("kpi-history-topic");
        streams.tooLate()
                .sinkTo(
                        config.exactlyOnceSink(
                                "too-late",
                                new TooLateSerializer(
                                        config.get(HealthAggregatorConfig.TOO_LATE_OUT))))
                .uid("health-aggregator.too-late-sink")
                .name("kpi-too-late-topic");
    }

    /**
     * RocksDB with incremental checkpoints, since eleven minutes of open windows per key outgrow
     * the heap at production rates. Timers on the heap, since every window sets two event-time
     * timers and a re-emission timer and the RocksDB timer queue costs a write and a delete for
     * each, while the timers of eleven minutes of windows fit in megabytes. Bloom filters, since
     * the first contribution to each window asks for a key no file holds; no compression, since
     * each read would otherwise decompress a block to find one small row. Each is measured in
     * docs/benchmarks.md.
     */
    public static Configuration stateConfiguration() {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(RocksDBOptions.TIMER_SERVICE_FACTORY, PriorityQueueStateType.HEAP);
        conf.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
        conf.set(
                RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL,
                List.of(CompressionType.NO_COMPRESSION));
        // the job never keeps or changes a record it was given
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return conf;
    }
}
