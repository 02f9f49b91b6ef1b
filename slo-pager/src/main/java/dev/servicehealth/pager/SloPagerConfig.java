package dev.servicehealth.pager;

import dev.servicehealth.model.Topics;
import dev.servicehealth.model.catalog.SloCatalog;
import dev.servicehealth.model.reference.ReferenceData;
import dev.servicehealth.runtime.JobArguments;
import dev.servicehealth.runtime.JobConfig;
import dev.servicehealth.runtime.JobOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Typed, validated configuration of the SLO pager, parsed from {@code --key value} arguments. An
 * unknown key or a bad value fails at start and names the key.
 */
public final class SloPagerConfig extends JobConfig {
    public static final ConfigOption<String> REQUESTS_IN =
            ConfigOptions.key("topic.dedup.requests")
                    .stringType()
                    .defaultValue(Topics.DEDUP_REQUESTS)
                    .withDescription("deduplicated request events (input)");
    public static final ConfigOption<String> PAGES_OUT =
            ConfigOptions.key("topic.pages")
                    .stringType()
                    .defaultValue(Topics.PAGES)
                    .withDescription("pages, keyed by page, for the notifier");
    public static final ConfigOption<String> REFERENCE_DIR =
            ConfigOptions.key("reference-dir")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "directory with the seeds CSV files, slo-targets.csv among them"
                                    + " (default: bundled copy)");
    public static final ConfigOption<Duration> MIN_SILENCE =
            ConfigOptions.key("min-silence")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(2))
                    .withDescription(
                            "the shortest silence of a busy scope reported as missing data");
    public static final ConfigOption<Duration> SETTLE =
            ConfigOptions.key("settle")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(2))
                    .withDescription(
                            "how long a change of what burns waits before the pages are chosen"
                                    + " again, so a zone that trips just before its region does"
                                    + " not page first");
    public static final ConfigOption<Duration> NARROW_SCOPE_HOLD =
            ConfigOptions.key("narrow-scope-hold")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "how long a live burn that would page a zone or a tenant waits for"
                                    + " its region to trip, so that an outage reaching the zones"
                                    + " first pages once, as the region");
    public static final ConfigOption<Duration> FLUSH_INTERVAL =
            ConfigOptions.key("pre-aggregation-flush")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription("how long counts are summed before the shuffle");
    public static final ConfigOption<Integer> MAX_BUNDLE_COUNTS =
            ConfigOptions.key("pre-aggregation-max-counts")
                    .intType()
                    .defaultValue(20_000)
                    .withDescription("counts a pre-aggregation bundle holds before it is sent");

    static final JobOptions OPTIONS =
            JobOptions.declaredIn(SloPagerConfig.class, "slo-pager", 9255);

    private SloPagerConfig(Map<String, String> values) {
        super(values, OPTIONS);
        if (get(NARROW_SCOPE_HOLD).isNegative()) {
            throw new IllegalArgumentException(NARROW_SCOPE_HOLD.key() + " must not be negative");
        }
        for (ConfigOption<Duration> positive : List.of(MIN_SILENCE, SETTLE, FLUSH_INTERVAL)) {
            if (get(positive).isNegative() || get(positive).isZero()) {
                throw new IllegalArgumentException(positive.key() + " must be positive");
            }
        }
        if (get(MAX_BUNDLE_COUNTS) <= 0) {
            throw new IllegalArgumentException(MAX_BUNDLE_COUNTS.key() + " must be positive");
        }
    }

    public static SloPagerConfig fromArgs(String... args) {
        return fromMap(JobArguments.parse(args));
    }

    public static SloPagerConfig fromMap(Map<String, String> values) {
        return new SloPagerConfig(values);
    }

    public static String usage() {
        return OPTIONS.usage();
    }

    /** The topology's settings, with the objectives of the configured (or bundled) targets. */
    public SloPagerTopology.Settings settings() {
        String dir = get(REFERENCE_DIR);
        ReferenceData reference =
                dir == null ? ReferenceData.bundled() : ReferenceData.fromDirectory(Path.of(dir));
        return new SloPagerTopology.Settings(
                new BurnSettings(
                        SloCatalog.of(reference.sloTargets()),
                        get(MIN_SILENCE),
                        metricsPort(),
                        metricsBindAddress()),
                get(FLUSH_INTERVAL),
                get(MAX_BUNDLE_COUNTS),
                get(SETTLE),
                get(NARROW_SCOPE_HOLD));
    }
}
