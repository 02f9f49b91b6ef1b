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
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Typed, validated configuration of the dedup job, parsed from {@code --key value} arguments. An
 * unknown key or a bad value fails at start and names the key.
 */
public final class DedupJobConfig extends JobConfig {
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
    public static final ConfigOption<Duration> RETENTION =
            ConfigOptions.key("retention")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(30))
                    .withDescription(
                            "how long (processing time) an event's identity is kept after its"
                                    + " first copy; must exceed the 10-minute lateness bound"
                                    + " plus the window (docs/decisions/0005-dedup-state.md)");

    public static final ConfigOption<Duration> CLOCK_MARK_INTERVAL = JobOptions.CLOCK_MARK_INTERVAL;

    static final JobOptions OPTIONS =
            JobOptions.declaredIn(DedupJobConfig.class, "dedup-job", 9251);

    /**
     * A copy is harmful while the aggregator still counts it: until its window (1 min) plus the
     * lateness bound (10 min) has passed. Shorter retention would let such copies through.
     */
    static final Duration MINIMUM_RETENTION =
            EventTimePolicy.WINDOW.plus(EventTimePolicy.ALLOWED_LATENESS);

    private DedupJobConfig(Map<String, String> values) {
        super(values, OPTIONS);
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
        return OPTIONS.usage();
    }

    /** The kind of event each input topic holds. */
    public Map<String, EventKind> inputTopics() {
        Map<String, EventKind> map = new LinkedHashMap<>();
        map.put(get(REQUESTS_IN), EventKind.REQUEST);
        map.put(get(METRICS_IN), EventKind.METRIC_SAMPLE);
        map.put(get(STATUS_IN), EventKind.STATUS);
        return map;
    }

    /** The input topic of one kind. */
    public String inputTopic(EventKind kind) {
        return switch (kind) {
            case REQUEST -> get(REQUESTS_IN);
            case METRIC_SAMPLE -> get(METRICS_IN);
            case STATUS -> get(STATUS_IN);
        };
    }

    public Map<EventKind, String> outputTopics() {
        Map<EventKind, String> map = new EnumMap<>(EventKind.class);
        map.put(EventKind.REQUEST, get(REQUESTS_OUT));
        map.put(EventKind.METRIC_SAMPLE, get(METRICS_OUT));
        map.put(EventKind.STATUS, get(STATUS_OUT));
        return map;
    }

    public DedupTopology.DedupSettings settings() {
        return settings(this);
    }

    /** The dedup operator's settings as {@code config} gives them. */
    public static DedupTopology.DedupSettings settings(JobConfig config) {
        return new DedupTopology.DedupSettings(
                config.get(RETENTION), config.metricsPort(), config.metricsBindAddress());
    }
}
