package dev.servicehealth.dedup;

import dev.servicehealth.model.EventKind;
import dev.servicehealth.model.EventTimePolicy;
import dev.servicehealth.model.Topics;
import dev.servicehealth.runtime.JobArguments;
import dev.servicehealth.runtime.JobConfig;
import dev.servicehealth.runtime.JobOptions;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Typed, validated configuration of the dedup job, parsed from {@code --key value} arguments. An
 * unknown key or a bad value fails at start and names the key.
 */
public final class DedupJobConfig extends JobConfig {
    public static final ConfigOption<String> BOOTSTRAP_SERVERS = JobOptions.BOOTSTRAP_SERVERS;
    public static final ConfigOption<String> REQUESTS_IN =
            ConfigOptions.key("topic.normalized.requests")
                    .stringType()
                    .defaultValue(Topics.NORMALIZED_REQUESTS)
                    .withDescription("normalized request events (input)");
    public static final ConfigOption<String> METRICS_IN =
            ConfigOptions.key("topic.normalized.metrics")
                    .stringType()
                    .defaultValue(Topics.NORMALIZED_METRICS)
                    .withDescription("normalized metric samples (input)");
    public static final ConfigOption<String> STATUS_IN =
            ConfigOptions.key("topic.normalized.status")
                    .stringType()
                    .defaultValue(Topics.NORMALIZED_STATUS)
                    .withDescription("normalized status events (input)");
    public static final ConfigOption<String> REQUESTS_OUT =
            ConfigOptions.key("topic.dedup.requests")
                    .stringType()
                    .defaultValue(Topics.DEDUP_REQUESTS)
                    .withDescription("deduplicated request events (output)");
    public static final ConfigOption<String> METRICS_OUT =
            ConfigOptions.key("topic.dedup.metrics")
                    .stringType()
                    .defaultValue(Topics.DEDUP_METRICS)
                    .withDescription("deduplicated metric samples (output)");
    public static final ConfigOption<String> STATUS_OUT =
            ConfigOptions.key("topic.dedup.status")
                    .stringType()
                    .defaultValue(Topics.DEDUP_STATUS)
                    .withDescription("deduplicated status events (output)");
    public static final ConfigOption<String> GROUP_ID = JobOptions.groupId("dedup-job");
    public static final ConfigOption<Boolean> BOUNDED = JobOptions.BOUNDED;
    public static final ConfigOption<Duration> RETENTION =
            ConfigOptions.key("retention")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(30))
                    .withDescription(
                            "how long (processing time) an event's identity is kept after its"
                                    + " first copy; must exceed the 10-minute lateness bound"
                                    + " plus the window (docs/decisions/0005-dedup-state.md)");
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = JobOptions.CHECKPOINT_INTERVAL;
    public static final ConfigOption<String> CHECKPOINT_DIR = JobOptions.CHECKPOINT_DIR;
    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT = JobOptions.TRANSACTION_TIMEOUT;
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            JobOptions.transactionalIdPrefix("dedup-job");
    public static final ConfigOption<Integer> METRICS_PORT = JobOptions.metricsPort(9251);
    public static final ConfigOption<String> METRICS_BIND_ADDRESS = JobOptions.METRICS_BIND_ADDRESS;
    public static final ConfigOption<Integer> PARALLELISM = JobOptions.PARALLELISM;

    static final List<ConfigOption<?>> OPTIONS =
            List.of(
                    BOOTSTRAP_SERVERS,
                    REQUESTS_IN,
                    METRICS_IN,
                    STATUS_IN,
                    REQUESTS_OUT,
                    METRICS_OUT,
                    STATUS_OUT,
                    GROUP_ID,
                    BOUNDED,
                    RETENTION,
                    CHECKPOINT_INTERVAL,
                    CHECKPOINT_DIR,
                    TRANSACTION_TIMEOUT,
                    TRANSACTIONAL_ID_PREFIX,
                    METRICS_PORT,
                    METRICS_BIND_ADDRESS,
                    PARALLELISM);

    /**
     * A copy is harmful while the aggregator still counts it: until its window (1 min) plus the
     * lateness bound (10 min) has passed. Shorter retention would let such copies through.
     */
    static final Duration MINIMUM_RETENTION =
            EventTimePolicy.WINDOW.plus(EventTimePolicy.ALLOWED_LATENESS);

    private DedupJobConfig(Map<String, String> values) {
        super(values, OPTIONS, TRANSACTIONAL_ID_PREFIX);
        if (get(RETENTION).compareTo(MINIMUM_RETENTION) <= 0) {
            throw new IllegalArgumentException(
                    RETENTION.key()
                            + " must exceed the window plus the lateness bound ("
                            + MINIMUM_RETENTION.toMinutes()
                            + " min)");
        }
        if (new HashSet<>(inputTopics().keySet()).size() != EventKind.values().length
                || new HashSet<>(outputTopics().values()).size() != EventKind.values().length) {
            throw new IllegalArgumentException("each kind needs its own input and output topic");
        }
    }

    /** Parses {@code --key value} or {@code --key=value} pairs. */
    public static DedupJobConfig fromArgs(String... args) {
        return fromMap(JobArguments.parse(args));
    }

    public static DedupJobConfig fromMap(Map<String, String> values) {
        return new DedupJobConfig(values);
    }

    public static String usage() {
        return JobArguments.usage("dedup-job", OPTIONS);
    }

    /** The kind of event each input topic holds. */
    public Map<String, EventKind> inputTopics() {
        Map<String, EventKind> map = new LinkedHashMap<>();
        map.put(get(REQUESTS_IN), EventKind.REQUEST);
        map.put(get(METRICS_IN), EventKind.METRIC_SAMPLE);
        map.put(get(STATUS_IN), EventKind.STATUS);
        return map;
    }

    public Map<EventKind, String> outputTopics() {
        Map<EventKind, String> map = new EnumMap<>(EventKind.class);
        map.put(EventKind.REQUEST, get(REQUESTS_OUT));
        map.put(EventKind.METRIC_SAMPLE, get(METRICS_OUT));
        map.put(EventKind.STATUS, get(STATUS_OUT));
        return map;
    }

    public DedupTopology.DedupSettings settings() {
        return new DedupTopology.DedupSettings(
                get(RETENTION), get(METRICS_PORT), get(METRICS_BIND_ADDRESS));
    }
}
