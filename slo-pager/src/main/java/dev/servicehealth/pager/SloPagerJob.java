package dev.servicehealth.pager;

import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.runtime.DedupedEventDeserializer;
import dev.servicehealth.runtime.JobConfig;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The SLO pager Flink job: deduplicated request events in, pages out, exactly once (a transactional
 * sink; the notifier reads read_committed). Event time is the events' own; the watermark is the
 * pipeline clock of the dedup job's clock marks (decision 0009). Live, burns are evaluated on every
 * count; while the pipeline catches up on a backlog, as the watermark passes each bucket, so that
 * what pages does not depend on the read speed (decision 0013).
 */
public final class SloPagerJob {
    private SloPagerJob() {}

    public static void main(String[] args) throws Exception {
        SloPagerConfig config =
                JobConfig.fromArgsOrExit(args, SloPagerConfig::fromArgs, SloPagerConfig.usage());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        defineWorkflow(env, config);
        env.execute("slo-pager");
    }

    public static void defineWorkflow(StreamExecutionEnvironment env, SloPagerConfig config) {
        config.configure(env);
        env.configure(stateConfiguration());
        DataStream<RequestEvent> requests =
                config.clockedSource(
                        env,
                        List.of(config.get(SloPagerConfig.REQUESTS_IN)),
                        DedupedEventDeserializer.requests("slo-pager"),
                        "dedup-requests",
                        "slo-pager.dedup-source");
        SloPagerTopology.build(requests, config.settings())
                .sinkTo(
                        config.exactlyOnceSink(
                                "pages", new PageSerializer(config.get(SloPagerConfig.PAGES_OUT))))
                .uid("slo-pager.pages-sink")
                .name("pages-topic");
    }

    /**
     * RocksDB with incremental checkpoints: each objective and scope keeps three days of buckets
     * (decision 0013), more than the heap should hold once tenants multiply the scopes.
     */
    static Configuration stateConfiguration() {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        // the job never keeps or changes a record it was given
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return conf;
    }
}
