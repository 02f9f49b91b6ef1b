package dev.servicehealth.aggregator;

import dev.servicehealth.aggregator.window.WindowSettings;
import dev.servicehealth.model.EventTimePolicy;
import dev.servicehealth.model.Topics;
import dev.servicehealth.model.catalog.Grain;
import dev.servicehealth.model.catalog.KpiVersion;
import dev.servicehealth.runtime.JobArguments;
import dev.servicehealth.runtime.JobConfig;
import dev.servicehealth.runtime.JobOptions;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Typed, validated configuration of the health-aggregator, parsed from {@code --key value}
 * arguments. An unknown key or a bad value fails at start and names the key.
 */
public final class HealthAggregatorConfig extends JobConfig {
    public static final ConfigOption<String> REQUESTS_IN =
            ConfigOptions.key("topic.dedup.requests")
                    .stringType()
                    .defaultValue(Topics.DEDUP_REQUESTS)
                    .withDescription("deduplicated request events (input)");
    public static final ConfigOption<String> METRICS_IN =
            ConfigOptions.key("topic.dedup.metrics")
                    .stringType()
                    .defaultValue(Topics.DEDUP_METRICS)
                    .withDescription("deduplicated metric samples (input of the saturation rows)");
    public static final ConfigOption<String> SATURATION_OUT =
            ConfigOptions.key("topic.kpi.saturation")
                    .stringType()
                    .defaultValue(Topics.KPI_SATURATION)
                    .withDescription("saturation upserts (region × service)");
    public static final ConfigOption<String> SERVICE_OUT =
            ConfigOptions.key("topic.kpi.service")
                    .stringType()
                    .defaultValue(Topics.KPI_SERVICE)
                    .withDescription("KPI upserts of the service grain");
    public static final ConfigOption<String> DRILLDOWN_OUT =
            ConfigOptions.key("topic.kpi.drilldown")
                    .stringType()
                    .defaultValue(Topics.KPI_DRILLDOWN)
                    .withDescription("KPI upserts of the drill-down grain");
    public static final ConfigOption<String> HISTORY_OUT =
            ConfigOptions.key("topic.kpi.history")
                    .stringType()
                    .defaultValue(Topics.KPI_HISTORY)
                    .withDescription("final value of every KPI row, for the history path");
    public static final ConfigOption<String> TOO_LATE_OUT =
            ConfigOptions.key("topic.kpi.too-late")
                    .stringType()
                    .defaultValue(Topics.KPI_TOO_LATE)
                    .withDescription("contributions that came after their window's lateness bound");
    public static final ConfigOption<Duration> EARLY_FIRING_INTERVAL =
            ConfigOptions.key("early-firing-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription(
                            "how often an open window, or a closed one changed by late events,"
                                    + " is emitted again");
    public static final ConfigOption<Duration> ALLOWED_LATENESS =
            ConfigOptions.key("allowed-lateness")
                    .durationType()
                    .defaultValue(EventTimePolicy.ALLOWED_LATENESS)
                    .withDescription("how long after its end a window still takes late events");
    public static final ConfigOption<Duration> FLUSH_INTERVAL =
            ConfigOptions.key("pre-aggregation-flush")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription("how long events are combined before the shuffle");
    public static final ConfigOption<Integer> MAX_BUNDLE_ROWS =
            ConfigOptions.key("pre-aggregation-max-rows")
                    .intType()
                    .defaultValue(20_000)
                    .withDescription("rows a pre-aggregation bundle holds before it is sent");

    public static final ConfigOption<Integer> GENERATION =
            ConfigOptions.key("generation")
                    .intType()
                    .defaultValue(0)
                    .withDescription(
                            "the generation of the KPI definitions this job computes; raise it"
                                    + " with a fix, so its rows win over the wrong ones"
                                    + " (KpiVersion)");

    static final JobOptions OPTIONS =
            JobOptions.declaredIn(HealthAggregatorConfig.class, "health-aggregator", 9252);

    private HealthAggregatorConfig(Map<String, String> values) {
        super(values, OPTIONS);
        for (ConfigOption<Duration> positive : List.of(EARLY_FIRING_INTERVAL, FLUSH_INTERVAL)) {
            if (get(positive).isNegative() || get(positive).isZero()) {
                throw new IllegalArgumentException(positive.key() + " must be positive");
            }
        }
        if (get(GENERATION) < 0 || get(GENERATION) > KpiVersion.MAX_GENERATION) {
            throw new IllegalArgumentException(
                    GENERATION.key() + " must be within 0.." + KpiVersion.MAX_GENERATION);
        }
        if (get(MAX_BUNDLE_ROWS) <= 0) {
            throw new IllegalArgumentException(MAX_BUNDLE_ROWS.key() + " must be positive");
        }
    }

    public static HealthAggregatorConfig fromArgs(String... args) {
        return fromMap(JobArguments.parse(args));
    }

    public static HealthAggregatorConfig fromMap(Map<String, String> values) {
        return new HealthAggregatorConfig(values);
    }

    public static String usage() {
        return OPTIONS.usage();
    }

    public Map<Grain, String> upsertTopics() {
        return upsertTopics(this);
    }

    /** The upsert topic of each grain, as {@code config} names them (it declares these options). */
    public static Map<Grain, String> upsertTopics(JobConfig config) {
        Map<Grain, String> topics = new EnumMap<>(Grain.class);
        topics.put(Grain.SERVICE, config.get(SERVICE_OUT));
        topics.put(Grain.DRILLDOWN, config.get(DRILLDOWN_OUT));
        topics.put(Grain.SATURATION, config.get(SATURATION_OUT));
        return topics;
    }

    public WindowSettings windowSettings() {
        return windowSettings(this, get(GENERATION));
    }

    /** The KPI windows' settings as {@code config} gives them, computing {@code generation}. */
    public static WindowSettings windowSettings(JobConfig config, int generation) {
        return new WindowSettings(
                config.get(EARLY_FIRING_INTERVAL),
                config.get(ALLOWED_LATENESS),
                config.metricsPort(),
                config.metricsBindAddress(),
                generation);
    }
}
