package dev.servicehealth.history;

import dev.servicehealth.model.Topics;
import dev.servicehealth.runtime.JobArguments;
import dev.servicehealth.runtime.JobConfig;
import dev.servicehealth.runtime.JobOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Typed, validated configuration of the iceberg-sink, parsed from {@code --key value} arguments. An
 * unknown key or a bad value fails at start and names the key.
 */
public final class IcebergSinkConfig extends JobConfig {
    public static final ConfigOption<String> CATALOG_TYPE = HistoryCatalogOptions.CATALOG_TYPE;
    public static final ConfigOption<String> CATALOG_URI = HistoryCatalogOptions.CATALOG_URI;
    public static final ConfigOption<String> WAREHOUSE = HistoryCatalogOptions.WAREHOUSE;
    public static final ConfigOption<String> CATALOG_NAME = HistoryCatalogOptions.CATALOG_NAME;
    public static final ConfigOption<String> IO_IMPL = HistoryCatalogOptions.IO_IMPL;
    public static final ConfigOption<Boolean> CREATE_TABLES =
            ConfigOptions.key("create-tables")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription("create missing zones and tables at start");
    public static final ConfigOption<List<String>> RAW_IN =
            ConfigOptions.key("topics.raw")
                    .stringType()
                    .asList()
                    .defaultValues(Topics.RAW.toArray(String[]::new))
                    .withDescription("the raw topics, kept in bronze as received");
    public static final ConfigOption<String> DEAD_LETTERS_IN =
            ConfigOptions.key("topic.dead-letters")
                    .stringType()
                    .defaultValue(Topics.DEAD_LETTER_INGEST)
                    .withDescription("the normalizer's dead letters, kept in bronze");
    public static final ConfigOption<String> REQUESTS_IN =
            ConfigOptions.key("topic.dedup.requests")
                    .stringType()
                    .defaultValue(Topics.DEDUP_REQUESTS)
                    .withDescription("deduplicated request events, for silver");
    public static final ConfigOption<String> METRICS_IN =
            ConfigOptions.key("topic.dedup.metrics")
                    .stringType()
                    .defaultValue(Topics.DEDUP_METRICS)
                    .withDescription("deduplicated metric samples, for silver");
    public static final ConfigOption<String> STATUS_IN =
            ConfigOptions.key("topic.dedup.status")
                    .stringType()
                    .defaultValue(Topics.DEDUP_STATUS)
                    .withDescription("deduplicated status events, for silver");
    public static final ConfigOption<String> HISTORY_IN =
            ConfigOptions.key("topic.kpi.history")
                    .stringType()
                    .defaultValue(Topics.KPI_HISTORY)
                    .withDescription("final KPI rows of every grain, for gold");
    public static final ConfigOption<String> TOO_LATE_IN =
            ConfigOptions.key("topic.kpi.too-late")
                    .stringType()
                    .defaultValue(Topics.KPI_TOO_LATE)
                    .withDescription("too-late counts, for gold");

    public static final ConfigOption<Boolean> MAINTENANCE =
            ConfigOptions.key("maintenance")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "compact, expire snapshots and delete orphan files while writing");
    public static final ConfigOption<Integer> COMPACT_AT_FILES =
            ConfigOptions.key("compact-at-files")
                    .intType()
                    .defaultValue(100)
                    .withDescription("new data files of a table that trigger its compaction");
    public static final ConfigOption<Duration> COMPACT_RECENT =
            ConfigOptions.key("compact-recent")
                    .durationType()
                    .defaultValue(Duration.ofDays(2))
                    .withDescription(
                            "how far back, by each table's time column, compaction rewrites files");
    public static final ConfigOption<Integer> SNAPSHOTS_RETAINED =
            ConfigOptions.key("snapshots-retained")
                    .intType()
                    .defaultValue(20)
                    .withDescription("snapshots of a table kept whatever their age");
    public static final ConfigOption<Duration> SNAPSHOT_MAX_AGE =
            ConfigOptions.key("snapshot-max-age")
                    .durationType()
                    .defaultValue(Duration.ofHours(6))
                    .withDescription(
                            "age beyond which other snapshots expire: the longest a reader may"
                                    + " pin one (a backfill)");
    public static final ConfigOption<Duration> ORPHAN_MIN_AGE =
            ConfigOptions.key("orphan-min-age")
                    .durationType()
                    .defaultValue(Duration.ofDays(3))
                    .withDescription(
                            "age an unreferenced file must reach before it is deleted; longer"
                                    + " than any commit or restore can take");
    public static final ConfigOption<Duration> ORPHAN_INTERVAL =
            ConfigOptions.key("orphan-interval")
                    .durationType()
                    .defaultValue(Duration.ofDays(1))
                    .withDescription("how often each table is searched for orphan files");
    public static final ConfigOption<Duration> MAINTENANCE_RATE_LIMIT =
            ConfigOptions.key("maintenance-rate-limit")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription("the least time between two maintenance runs of a table");

    static final JobOptions OPTIONS =
            JobOptions.declaredIn(IcebergSinkConfig.class, "iceberg-sink", 9253);

    private IcebergSinkConfig(Map<String, String> values) {
        super(values, OPTIONS);
        HistoryCatalogOptions.check(this::get);
        if (get(COMPACT_AT_FILES) < 2) {
            throw new IllegalArgumentException(COMPACT_AT_FILES.key() + " must be at least 2");
        }
        if (get(SNAPSHOTS_RETAINED) < 1) {
            throw new IllegalArgumentException(SNAPSHOTS_RETAINED.key() + " must be at least 1");
        }
        // Iceberg's change monitor polls once per rate-limit second: whole seconds, at least one
        if (get(MAINTENANCE_RATE_LIMIT).getSeconds() < 1) {
            throw new IllegalArgumentException(
                    MAINTENANCE_RATE_LIMIT.key() + " must be at least 1 s");
        }
        if (get(ORPHAN_MIN_AGE).compareTo(Duration.ofHours(1)) < 0) {
            throw new IllegalArgumentException(
                    ORPHAN_MIN_AGE.key()
                            + " must be at least 1 h: a younger file may be a writer's, not yet"
                            + " committed");
        }
        for (ConfigOption<Duration> positive :
                List.of(COMPACT_RECENT, SNAPSHOT_MAX_AGE, ORPHAN_INTERVAL)) {
            if (get(positive).isNegative() || get(positive).isZero()) {
                throw new IllegalArgumentException(positive.key() + " must be positive");
            }
        }
    }

    public static IcebergSinkConfig fromArgs(String... args) {
        return fromMap(JobArguments.parse(args));
    }

    public static IcebergSinkConfig fromMap(Map<String, String> values) {
        return new IcebergSinkConfig(values);
    }

    public static String usage() {
        return OPTIONS.usage();
    }

    HistoryMaintenance.Settings maintenance() {
        return new HistoryMaintenance.Settings(
                get(COMPACT_AT_FILES),
                get(COMPACT_RECENT),
                get(SNAPSHOTS_RETAINED),
                get(SNAPSHOT_MAX_AGE),
                get(ORPHAN_MIN_AGE),
                get(ORPHAN_INTERVAL),
                get(MAINTENANCE_RATE_LIMIT));
    }

    public HistoryCatalog catalog() {
        return HistoryCatalogOptions.catalog(this::get);
    }
}
