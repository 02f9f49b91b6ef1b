package dev.servicehealth.runtime;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * The options one job accepts: the options every job of the pipeline has, spelled and documented
 * once here with the job's own defaults (consumer group, transactional ids, scrape port), followed
 * by the options its config class declares. A job's config declares each of its own options once,
 * as a {@code static final ConfigOption} field; {@link #declaredIn} collects them, so an option
 * cannot be declared and then forgotten in a list.
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

    /**
     * How often a job that writes clocked topics writes its watermark into them (decision 0009);
     * declared by those jobs' configs only.
     */
    public static final ConfigOption<Duration> CLOCK_MARK_INTERVAL =
            ConfigOptions.key("clock-mark-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription(
                            "how often the job's watermark is written into each partition of the"
                                    + " topics the next job reads event time from");

    private final String jobName;
    private final ConfigOption<String> groupId;
    private final ConfigOption<String> transactionalIdPrefix;
    private final ConfigOption<Integer> metricsPort;
    private final List<ConfigOption<?>> all;

    private JobOptions(String jobName, int defaultMetricsPort, List<ConfigOption<?>> own) {
        this.jobName = jobName;
        this.groupId =
                ConfigOptions.key("group-id")
                        .stringType()
                        .defaultValue(jobName)
                        .withDescription("Kafka consumer group (offsets are also in checkpoints)");
        this.transactionalIdPrefix =
                ConfigOptions.key("transactional-id-prefix")
                        .stringType()
                        .defaultValue(jobName)
                        .withDescription("prefix of the sinks' transactional ids; unique per job");
        this.metricsPort =
                ConfigOptions.key("metrics-port")
                        .intType()
                        .defaultValue(defaultMetricsPort)
                        .withDescription("Prometheus scrape port per task manager; -1 disables");
        List<ConfigOption<?>> options =
                new ArrayList<>(
                        List.of(
                                BOOTSTRAP_SERVERS,
                                groupId,
                                BOUNDED,
                                CHECKPOINT_INTERVAL,
                                CHECKPOINT_DIR,
                                TRANSACTION_TIMEOUT,
                                transactionalIdPrefix,
                                metricsPort,
                                METRICS_BIND_ADDRESS,
                                PARALLELISM));
        options.addAll(own);
        Set<String> keys = new HashSet<>();
        for (ConfigOption<?> option : options) {
            if (!keys.add(option.key())) {
                throw new IllegalStateException(
                        jobName + " declares option '" + option.key() + "' twice");
            }
        }
        this.all = List.copyOf(options);
    }

    /**
     * The shared options and every {@code static final ConfigOption} field of {@code config}, in
     * declaration order. Call it in the last static initializer of the class, after its options.
     */
    public static JobOptions declaredIn(Class<?> config, String jobName, int defaultMetricsPort) {
        List<ConfigOption<?>> own = new ArrayList<>();
        for (Field field : config.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (Modifier.isStatic(modifiers)
                    && Modifier.isFinal(modifiers)
                    && ConfigOption.class.isAssignableFrom(field.getType())) {
                try {
                    field.setAccessible(true);
                    ConfigOption<?> option = (ConfigOption<?>) field.get(null);
                    if (option == null) {
                        throw new IllegalStateException(
                                config.getName()
                                        + "."
                                        + field.getName()
                                        + " is declared after the job's options are collected");
                    }
                    own.add(option);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return new JobOptions(jobName, defaultMetricsPort, own);
    }

    /** Every option the job accepts, the shared ones first. */
    public List<ConfigOption<?>> all() {
        return all;
    }

    public ConfigOption<String> groupId() {
        return groupId;
    }

    public ConfigOption<String> transactionalIdPrefix() {
        return transactionalIdPrefix;
    }

    public ConfigOption<Integer> metricsPort() {
        return metricsPort;
    }

    /**
     * The configuration of {@code values}, every one of them parsed now.
     *
     * @throws IllegalArgumentException naming the first unknown key or unparsable value
     */
    public Configuration parse(Map<String, String> values) {
        return JobArguments.toConfiguration(values, all);
    }

    public String usage() {
        return JobArguments.usage(jobName, all);
    }
}
