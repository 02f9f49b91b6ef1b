package dev.servicehealth.runtime;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A job's parsed and checked configuration: every value parsed at start, the options all jobs share
 * checked here (bootstrap servers present, transaction timeout within the broker's limit), and the
 * exactly-once wiring every job does the same way. Each job's config adds its own options and
 * checks.
 */
public abstract class JobConfig {
    private final Configuration conf;
    private final ConfigOption<String> transactionalIdPrefix;

    /**
     * @param options every option the job accepts, the shared ones of {@link JobOptions} included
     * @param transactionalIdPrefix the job's own {@link JobOptions#transactionalIdPrefix} option
     */
    protected JobConfig(
            Map<String, String> values,
            List<ConfigOption<?>> options,
            ConfigOption<String> transactionalIdPrefix) {
        this.conf = JobArguments.toConfiguration(values, options);
        this.transactionalIdPrefix = transactionalIdPrefix;
        JobArguments.require(conf, JobOptions.BOOTSTRAP_SERVERS);
        ExactlyOnceKafka.checkTransactionTimeout(
                JobOptions.TRANSACTION_TIMEOUT.key(),
                conf.get(JobOptions.TRANSACTION_TIMEOUT),
                conf.get(JobOptions.CHECKPOINT_INTERVAL));
    }

    /**
     * The configuration of a job's {@code main}: on a bad argument, the message and the usage on
     * stderr and exit code 2.
     */
    public static <C extends JobConfig> C fromArgsOrExit(
            String[] args, Function<String[], C> fromArgs, String usage) {
        try {
            return fromArgs.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(usage);
            System.exit(2);
            throw e;
        }
    }

    public final <T> T get(ConfigOption<T> option) {
        return conf.get(option);
    }

    public final Optional<String> checkpointDir() {
        return conf.getOptional(JobOptions.CHECKPOINT_DIR);
    }

    /** Exactly-once checkpoints at the configured interval, in the configured storage. */
    public final void enableCheckpointing(StreamExecutionEnvironment env) {
        ExactlyOnceKafka.enableCheckpointing(
                env, conf.get(JobOptions.CHECKPOINT_INTERVAL), checkpointDir());
    }

    /** A transactional sink whose transactional ids are the job's prefix and {@code name}. */
    public final <T> KafkaSink<T> exactlyOnceSink(
            String name, KafkaRecordSerializationSchema<T> serializer) {
        return ExactlyOnceKafka.sink(
                conf.get(JobOptions.BOOTSTRAP_SERVERS),
                conf.get(transactionalIdPrefix) + "-" + name,
                conf.get(JobOptions.TRANSACTION_TIMEOUT),
                serializer);
    }
}
