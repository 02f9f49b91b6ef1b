package dev.servicehealth.dedup;

import dev.servicehealth.ingest.NormalizerJobFixture;
import dev.servicehealth.testing.SharedKafkaBroker;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Runs the real dedup job (Kafka source, RocksDB, transactional sink) at parallelism 2. */
public final class DedupJobFixture {

    /** The dedup job's own output topics of one run on the shared broker. */
    public record Topics(String requests, String metrics, String status) {
        public static Topics create(SharedKafkaBroker kafka, int partitions) {
            return new Topics(
                    kafka.createTopic("dedup.requests", partitions),
                    kafka.createTopic("dedup.metrics", partitions),
                    kafka.createTopic("dedup.status", partitions));
        }
    }

    private DedupJobFixture() {}

    /** Runs over what is on the normalized topics now; returns when it has committed. */
    public static void run(String bootstrapServers, NormalizerJobFixture.Topics in, Topics out)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DedupJob.defineWorkflow(env, config(bootstrapServers, in, out, true));
        env.execute("dedup-job-" + out.requests());
    }

    /** Starts the job without an end: it keeps reading until cancelled. */
    public static JobClient start(
            String bootstrapServers, NormalizerJobFixture.Topics in, Topics out) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DedupJob.defineWorkflow(env, config(bootstrapServers, in, out, false));
        return env.executeAsync("dedup-job-" + out.requests());
    }

    private static DedupJobConfig config(
            String bootstrapServers, NormalizerJobFixture.Topics in, Topics out, boolean bounded) {
        Map<String, String> conf = new HashMap<>();
        conf.put("bootstrap-servers", bootstrapServers);
        conf.put("topic.normalized.requests", in.requests());
        conf.put("topic.normalized.metrics", in.metrics());
        conf.put("topic.normalized.status", in.status());
        conf.put("topic.dedup.requests", out.requests());
        conf.put("topic.dedup.metrics", out.metrics());
        conf.put("topic.dedup.status", out.status());
        conf.put("group-id", "it-" + out.requests());
        conf.put("transactional-id-prefix", "it-" + out.requests());
        conf.put("bounded", String.valueOf(bounded));
        conf.put("checkpoint-interval", "1 s");
        conf.put("transaction-timeout", "1 min");
        conf.put("metrics-port", "-1");
        conf.put("parallelism", "2");
        return DedupJobConfig.fromMap(conf);
    }
}
