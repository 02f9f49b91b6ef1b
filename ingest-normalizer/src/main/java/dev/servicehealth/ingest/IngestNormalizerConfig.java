package dev.servicehealth.ingest;

import dev.servicehealth.ingest.normalize.NormalizerSettings;
import dev.servicehealth.ingest.normalize.SourceKind;
import dev.servicehealth.model.EventKind;
import dev.servicehealth.model.Topics;
import dev.servicehealth.runtime.JobArguments;
import dev.servicehealth.runtime.JobConfig;
import dev.servicehealth.runtime.JobOptions;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Typed, validated configuration of the ingest-normalizer, parsed from {@code --key value}
 * arguments. An unknown key or a bad value fails at start and names the key.
 */
public final class IngestNormalizerConfig extends JobConfig {
    public static final ConfigOption<String> RAW_GATEWAY_TOPIC =
            ConfigOptions.key("topic.raw.gateway")
                    .stringType()
                    .defaultValue(Topics.RAW_GATEWAY)
                    .withDescription("raw gateway JSON lines");
    public static final ConfigOption<String> RAW_AUTH_TOPIC =
            ConfigOptions.key("topic.raw.auth")
                    .stringType()
                    .defaultValue(Topics.RAW_AUTH)
                    .withDescription("raw auth-service JSON lines");
    public static final ConfigOption<String> RAW_METRICS_TOPIC =
            ConfigOptions.key("topic.raw.metrics")
                    .stringType()
                    .defaultValue(Topics.RAW_METRICS)
                    .withDescription("raw Prometheus remote-write bodies");
    public static final ConfigOption<String> RAW_STATUS_TOPIC =
            ConfigOptions.key("topic.raw.status")
                    .stringType()
                    .defaultValue(Topics.RAW_STATUS)
                    .withDescription("raw status JSON lines");
    public static final ConfigOption<String> REFERENCE_TOPIC =
            ConfigOptions.key("topic.reference")
                    .stringType()
                    .defaultValue(Topics.REFERENCE_UPDATES)
                    .withDescription(
                            "compacted topic of reference-data updates (tenant tiers,"
                                    + " endpoint mappings), read from the beginning; empty: the"
                                    + " seeds alone");
    public static final ConfigOption<String> REQUESTS_TOPIC =
            ConfigOptions.key("topic.normalized.requests")
                    .stringType()
                    .defaultValue(Topics.NORMALIZED_REQUESTS)
                    .withDescription("normalized request events");
    public static final ConfigOption<String> METRICS_TOPIC =
            ConfigOptions.key("topic.normalized.metrics")
                    .stringType()
                    .defaultValue(Topics.NORMALIZED_METRICS)
                    .withDescription("normalized metric samples");
    public static final ConfigOption<String> STATUS_TOPIC =
            ConfigOptions.key("topic.normalized.status")
                    .stringType()
                    .defaultValue(Topics.NORMALIZED_STATUS)
                    .withDescription("normalized status events");
    public static final ConfigOption<String> DEAD_LETTER_TOPIC =
            ConfigOptions.key("topic.dead-letter")
                    .stringType()
                    .defaultValue(Topics.DEAD_LETTER_INGEST)
                    .withDescription("dead letters with original bytes and reason");
    public static final ConfigOption<String> SCHEMA_DRIFT_TOPIC =
            ConfigOptions.key("topic.schema-drift")
                    .stringType()
                    .defaultValue(Topics.SCHEMA_DRIFT)
                    .withDescription(
                            "the schema-drift report: new fields, renames, type changes,"
                                    + " endpoints outside the catalog, per source and producer");
    public static final ConfigOption<Duration> DRIFT_REPORT_INTERVAL =
            ConfigOptions.key("drift-report-interval")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription("how often each subtask reports the schema drift it counted");
    public static final ConfigOption<String> REFERENCE_DIR =
            ConfigOptions.key("reference-dir")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("directory with the seeds CSV files (default: bundled copy)");
    public static final ConfigOption<String> TENANT_KEY_FILE =
            ConfigOptions.key("tenant-key-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "file with the base64 HMAC key (default: env "
                                    + "SERVICE_HEALTH_TENANT_KEY on the task managers)");
    public static final ConfigOption<Integer> MAX_RECORD_BYTES =
            ConfigOptions.key("max-record-bytes")
                    .intType()
                    .defaultValue(1024 * 1024)
                    .withDescription("larger raw records are dead-lettered");
    public static final ConfigOption<Duration> MAX_FUTURE_SKEW =
            ConfigOptions.key("max-future-skew")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "events further ahead of the ingest clock are dead-lettered"
                                    + " (a skewed clock must not drag watermarks forward)");

    public static final ConfigOption<Integer> MAX_NEW_ENDPOINTS_PER_MINUTE =
            ConfigOptions.key("max-new-endpoints-per-minute")
                    .intType()
                    .defaultValue(100)
                    .withDescription(
                            "endpoints outside the service catalog one source may make in an"
                                    + " event-time minute, per subtask; the excess is folded into"
                                    + " 'other' and counted");

    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS =
            ConfigOptions.key("max-out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "how far behind the newest Kafka timestamp of a raw partition its"
                                    + " watermark stays; the pipeline clock follows the slowest"
                                    + " raw partition");
    public static final ConfigOption<Duration> IDLENESS =
            ConfigOptions.key("idleness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "a raw partition without records for this long stops holding the"
                                    + " pipeline clock back (and is logged as idle)");
    public static final ConfigOption<Duration> CLOCK_MARK_INTERVAL = JobOptions.CLOCK_MARK_INTERVAL;

    static final JobOptions OPTIONS =
            JobOptions.declaredIn(IngestNormalizerConfig.class, "ingest-normalizer", 9250);

    private IngestNormalizerConfig(Map<String, String> values) {
        super(values, OPTIONS);
        if (get(MAX_RECORD_BYTES) <= 0) {
            throw new IllegalArgumentException(MAX_RECORD_BYTES.key() + " must be positive");
        }
        if (get(MAX_NEW_ENDPOINTS_PER_MINUTE) < 0) {
            throw new IllegalArgumentException(
                    MAX_NEW_ENDPOINTS_PER_MINUTE.key() + " must not be negative");
        }
        for (ConfigOption<Duration> positive :
                List.of(DRIFT_REPORT_INTERVAL, IDLENESS, CLOCK_MARK_INTERVAL)) {
            if (get(positive).isNegative() || get(positive).isZero()) {
                throw new IllegalArgumentException(positive.key() + " must be positive");
            }
        }
        if (get(MAX_OUT_OF_ORDERNESS).isNegative()) {
            throw new IllegalArgumentException(
                    MAX_OUT_OF_ORDERNESS.key() + " must not be negative");
        }
    }

    /** Parses {@code --key value} or {@code --key=value} pairs. */
    public static IngestNormalizerConfig fromArgs(String... args) {
        return fromMap(JobArguments.parse(args));
    }

    public static IngestNormalizerConfig fromMap(Map<String, String> values) {
        return new IngestNormalizerConfig(values);
    }

    public static String usage() {
        return OPTIONS.usage();
    }

    public Map<String, SourceKind> sourceByTopic() {
        return sourceByTopic(this);
    }

    /** The source of each raw topic, as {@code config} names them (it declares these options). */
    public static Map<String, SourceKind> sourceByTopic(JobConfig config) {
        Map<String, SourceKind> map = new LinkedHashMap<>();
        map.put(config.get(RAW_GATEWAY_TOPIC), SourceKind.GATEWAY);
        map.put(config.get(RAW_AUTH_TOPIC), SourceKind.AUTH);
        map.put(config.get(RAW_METRICS_TOPIC), SourceKind.METRICS);
        map.put(config.get(RAW_STATUS_TOPIC), SourceKind.STATUS);
        if (map.size() != 4) {
            throw new IllegalArgumentException("raw topics must be four distinct topics");
        }
        return map;
    }

    /** The raw topics of request lines and status lines, normalized in one lane. */
    public List<String> requestLineTopics() {
        return List.of(get(RAW_GATEWAY_TOPIC), get(RAW_AUTH_TOPIC), get(RAW_STATUS_TOPIC));
    }

    public Map<EventKind, String> outputTopics() {
        Map<EventKind, String> map = new EnumMap<>(EventKind.class);
        map.put(EventKind.REQUEST, get(REQUESTS_TOPIC));
        map.put(EventKind.METRIC_SAMPLE, get(METRICS_TOPIC));
        map.put(EventKind.STATUS, get(STATUS_TOPIC));
        return map;
    }

    public NormalizerSettings settings() {
        return settings(this, NormalizerSettings.IngestClock.WALL_CLOCK);
    }

    /**
     * The normalizer's settings as {@code config} gives them (a job that runs the normalizer
     * declares its options; those it does not take their defaults), with {@code clock} as what
     * "now" is.
     */
    public static NormalizerSettings settings(
            JobConfig config, NormalizerSettings.IngestClock clock) {
        String referenceTopic = config.get(REFERENCE_TOPIC);
        return new NormalizerSettings(
                config.get(REFERENCE_DIR),
                config.bootstrapServers(),
                referenceTopic.isBlank() ? null : referenceTopic,
                config.get(TENANT_KEY_FILE),
                config.get(MAX_RECORD_BYTES),
                config.get(MAX_FUTURE_SKEW).toMillis(),
                config.get(MAX_NEW_ENDPOINTS_PER_MINUTE),
                config.get(DRIFT_REPORT_INTERVAL).toMillis(),
                config.get(MAX_OUT_OF_ORDERNESS).toMillis(),
                config.get(IDLENESS).toMillis(),
                config.metricsPort(),
                config.metricsBindAddress(),
                clock);
    }
}
