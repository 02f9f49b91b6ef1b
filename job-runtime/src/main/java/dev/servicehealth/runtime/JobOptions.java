package dev.servicehealth.runtime;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The options every job of the pipeline has, spelled and documented once; each job's config lists
 * them with its own. Where the default differs per job (consumer group, transactional ids, scrape
 * port) a factory takes it.
 */
public final class JobOptions {
    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("bootstrap-servers")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Kafka bootstrap servers, host:port[,host:port]");
    public static final ConfigOption<Boolean> BOUNDED =
            ConfigOptions.key("bounded")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "stop at the offsets that are latest at start (replays, tests)");
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            ConfigOptions.key("checkpoint-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "checkpoint interval; output becomes visible to read_committed"
                                    + " consumers at each checkpoint");
    public static final ConfigOption<String> CHECKPOINT_DIR =
            ConfigOptions.key("checkpoint-dir")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("durable checkpoint storage URI (file:// or s3://)");
    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
            ConfigOptions.key("transaction-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "Kafka transaction timeout of the exactly-once sinks; must be below"
                                    + " the broker's transaction.max.timeout.ms (15 min)");
    public static final ConfigOption<String> METRICS_BIND_ADDRESS =
            ConfigOptions.key("metrics-bind-address")
                    .stringType()
                    .defaultValue("127.0.0.1")
                    .withDescription("address of the scrape endpoint");
    public static final ConfigOption<Integer> PARALLELISM =
            ConfigOptions.key("parallelism")
                    .intType()
                    .defaultValue(-1)
                    .withDescription("job parallelism; -1 keeps the cluster default");

    private JobOptions() {}

    public static ConfigOption<String> groupId(String jobName) {
        return ConfigOptions.key("group-id")
                .stringType()
                .defaultValue(jobName)
                .withDescription("Kafka consumer group (offsets are also in checkpoints)");
    }

    public static ConfigOption<String> transactionalIdPrefix(String jobName) {
        return ConfigOptions.key("transactional-id-prefix")
                .stringType()
                .defaultValue(jobName)
                .withDescription("prefix of the sinks' transactional ids; unique per job");
    }

    public static ConfigOption<Integer> metricsPort(int port) {
        return ConfigOptions.key("metrics-port")
                .intType()
                .defaultValue(port)
                .withDescription("Prometheus scrape port per task manager; -1 disables");
    }
}
