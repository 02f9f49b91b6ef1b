package dev.servicehealth.backfill;

import dev.servicehealth.aggregator.HealthAggregatorConfig;
import dev.servicehealth.dedup.DedupJobConfig;
import dev.servicehealth.history.HistoryCatalog;
import dev.servicehealth.history.HistoryCatalogOptions;
import dev.servicehealth.history.HistoryTable;
import dev.servicehealth.ingest.IngestNormalizerConfig;
import dev.servicehealth.ingest.normalize.NormalizerSettings;
import dev.servicehealth.ingest.normalize.SourceKind;
import dev.servicehealth.model.catalog.Grain;
import dev.servicehealth.model.catalog.KpiVersion;
import dev.servicehealth.runtime.JobArguments;
import dev.servicehealth.runtime.JobConfig;
import dev.servicehealth.runtime.JobOptions;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Typed, validated configuration of a backfill: the range and why, the generation it writes, and
 * the options of the streaming jobs whose functions it runs, spelled as those jobs spell them (the
 * same values must go to both, or the backfill computes something else).
 */
public final class BackfillConfig extends JobConfig {
    public static final ConfigOption<String> FROM =
            ConfigOptions.key("from")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("first window of the range, on a minute: 2026-11-30T10:00Z");
    public static final ConfigOption<String> TO =
            ConfigOptions.key("to")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("end of the range (exclusive), on a minute");
    public static final ConfigOption<String> REASON =
            ConfigOptions.key("reason")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "why: the bug, the incident or the ticket; kept in the record");
    public static final ConfigOption<Integer> GENERATION =
            ConfigOptions.key("generation")
                    .intType()
                    .noDefaultValue()
                    .withDescription(
                            "the generation of the KPI definitions now deployed (the aggregator's"
                                    + " --generation); its rows replace the range's");
    public static final ConfigOption<List<String>> GRAINS =
            ConfigOptions.key("grains")
                    .stringType()
                    .asList()
                    .defaultValues("service", "drilldown", "saturation")
                    .withDescription("the grains to recompute, e.g. service;drilldown");
    public static final ConfigOption<Duration> HORIZON =
            ConfigOptions.key("horizon")
                    .durationType()
                    .defaultValue(Duration.ofHours(24))
                    .withDescription("how far back a range may start");
    public static final ConfigOption<String> NOW =
            ConfigOptions.key("now")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "the time the safety checks take as now (replays and tests); the"
                                    + " wall clock when not set");
    public static final ConfigOption<String> REQUESTED_BY =
            ConfigOptions.key("requested-by")
                    .stringType()
                    .defaultValue(System.getProperty("user.name", "unknown"))
                    .withDescription("who asked for it (Airflow passes the DAG run's owner)");
    public static final ConfigOption<String> BACKFILL_ID =
            ConfigOptions.key("backfill-id")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "the run's id; the command makes one, the job on a cluster is given it");

    public static final ConfigOption<String> CATALOG_TYPE = HistoryCatalogOptions.CATALOG_TYPE;
    public static final ConfigOption<String> CATALOG_URI = HistoryCatalogOptions.CATALOG_URI;
    public static final ConfigOption<String> WAREHOUSE = HistoryCatalogOptions.WAREHOUSE;
    public static final ConfigOption<String> CATALOG_NAME = HistoryCatalogOptions.CATALOG_NAME;
    public static final ConfigOption<String> IO_IMPL = HistoryCatalogOptions.IO_IMPL;

    public static final ConfigOption<String> RAW_GATEWAY_TOPIC =
            IngestNormalizerConfig.RAW_GATEWAY_TOPIC;
    public static final ConfigOption<String> RAW_AUTH_TOPIC = IngestNormalizerConfig.RAW_AUTH_TOPIC;
    public static final ConfigOption<String> RAW_METRICS_TOPIC =
            IngestNormalizerConfig.RAW_METRICS_TOPIC;
    public static final ConfigOption<String> RAW_STATUS_TOPIC =
            IngestNormalizerConfig.RAW_STATUS_TOPIC;
    public static final ConfigOption<String> REFERENCE_TOPIC =
            IngestNormalizerConfig.REFERENCE_TOPIC;
    public static final ConfigOption<String> REFERENCE_DIR = IngestNormalizerConfig.REFERENCE_DIR;
    public static final ConfigOption<String> TENANT_KEY_FILE =
            IngestNormalizerConfig.TENANT_KEY_FILE;
    public static final ConfigOption<Integer> MAX_RECORD_BYTES =
            IngestNormalizerConfig.MAX_RECORD_BYTES;
    public static final ConfigOption<Duration> MAX_FUTURE_SKEW =
            IngestNormalizerConfig.MAX_FUTURE_SKEW;
    public static final ConfigOption<Integer> MAX_NEW_ENDPOINTS_PER_MINUTE =
            IngestNormalizerConfig.MAX_NEW_ENDPOINTS_PER_MINUTE;
    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS =
            IngestNormalizerConfig.MAX_OUT_OF_ORDERNESS;

    public static final ConfigOption<Duration> DEDUP_RETENTION = DedupJobConfig.RETENTION;

    public static final ConfigOption<Duration> ALLOWED_LATENESS =
            HealthAggregatorConfig.ALLOWED_LATENESS;
    public static final ConfigOption<Duration> FLUSH_INTERVAL =
            HealthAggregatorConfig.FLUSH_INTERVAL;
    public static final ConfigOption<Integer> MAX_BUNDLE_ROWS =
            HealthAggregatorConfig.MAX_BUNDLE_ROWS;
    public static final ConfigOption<String> SERVICE_OUT = HealthAggregatorConfig.SERVICE_OUT;
    public static final ConfigOption<String> DRILLDOWN_OUT = HealthAggregatorConfig.DRILLDOWN_OUT;
    public static final ConfigOption<String> SATURATION_OUT = HealthAggregatorConfig.SATURATION_OUT;

    static final JobOptions OPTIONS = JobOptions.declaredIn(BackfillConfig.class, "backfill", 9254);

    private final BackfillRange range;
    private final Set<Grain> grains;

    private BackfillConfig(Map<String, String> values) {
        super(values, OPTIONS);
        HistoryCatalogOptions.check(this::get);
        range = BackfillRange.parse(get(FROM), get(TO));
        Integer generation = get(GENERATION);
        if (generation == null) {
            throw new IllegalArgumentException(
                    "--generation is required: the aggregator's, with the fix deployed");
        }
        if (generation < 0 || generation > KpiVersion.MAX_GENERATION) {
            throw new IllegalArgumentException(
                    "--generation must be within 0.." + KpiVersion.MAX_GENERATION);
        }
        String reason = get(REASON);
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException(
                    "--reason is required: say what was wrong (it is kept with the backfill)");
        }
        grains = grains(get(GRAINS));
        now();
        sourceByTopic();
    }

    public static BackfillConfig fromArgs(String... args) {
        return fromMap(JobArguments.parse(args));
    }

    public static BackfillConfig fromMap(Map<String, String> values) {
        return new BackfillConfig(values);
    }

    public static String usage() {
        return OPTIONS.usage();
    }

    private static Set<Grain> grains(List<String> names) {
        Set<Grain> grains = EnumSet.noneOf(Grain.class);
        for (String name : names) {
            try {
                grains.add(Grain.valueOf(name.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--grains: no grain '"
                                + name
                                + "'; the grains are service, drilldown, saturation");
            }
        }
        if (grains.isEmpty()) {
            throw new IllegalArgumentException("--grains names no grain");
        }
        return grains;
    }

    public BackfillRange range() {
        return range;
    }

    public int generation() {
        return get(GENERATION);
    }

    public Set<Grain> grains() {
        return grains;
    }

    /**
     * The gold tables the backfill replaces the range of: the grains', and the too-late counts when
     * every grain is recomputed (the too-late table holds every grain's; a backfill of some leaves
     * it as it is).
     */
    public List<HistoryTable> goldTables() {
        List<HistoryTable> tables = new ArrayList<>();
        grains.forEach(grain -> tables.add(HistoryTable.finalRowsOf(grain)));
        if (grains.size() == Grain.values().length) {
            tables.add(HistoryTable.KPI_TOO_LATE);
        }
        return List.copyOf(tables);
    }

    public Instant now() {
        String now = get(NOW);
        if (now == null) {
            return Instant.now();
        }
        try {
            return Instant.parse(now);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--now " + now + " is not an instant");
        }
    }

    public BackfillRange.Limits limits() {
        return new BackfillRange.Limits(
                get(HORIZON),
                HistoryTable.RAW_RECORDS.hotFor(),
                get(ALLOWED_LATENESS),
                get(DEDUP_RETENTION));
    }

    public HistoryCatalog catalog() {
        return HistoryCatalogOptions.catalog(this::get);
    }

    public Map<String, SourceKind> sourceByTopic() {
        return IngestNormalizerConfig.sourceByTopic(this);
    }

    public Map<Grain, String> upsertTopics() {
        return HealthAggregatorConfig.upsertTopics(this);
    }

    public BackfillTopology.Settings settings() {
        return new BackfillTopology.Settings(
                range,
                sourceByTopic(),
                IngestNormalizerConfig.settings(
                        this, NormalizerSettings.IngestClock.RECORD_TIMESTAMP),
                DedupJobConfig.settings(this),
                HealthAggregatorConfig.windowSettings(this, generation()),
                grains,
                get(FLUSH_INTERVAL),
                get(MAX_BUNDLE_ROWS));
    }
}
