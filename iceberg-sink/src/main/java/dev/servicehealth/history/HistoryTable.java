package dev.servicehealth.history;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import dev.servicehealth.model.catalog.Grain;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * The history tables, by zone: bronze holds what arrived, as it arrived (clear tenant ids inside
 * the bytes: restricted); silver the deduplicated, tokenized events with typed columns; gold the
 * final KPI rows, with columns generated from the metric catalog ({@link GoldSchemas}). Each table
 * has its schema, its partitioning and how long its partitions are kept (docs/data-model.md).
 */
public enum HistoryTable {
    RAW_RECORDS(
            Zone.BRONZE,
            "raw_records",
            "every record of the four raw topics, bytes as received, by topic, partition and offset",
            HistoryTable::rawRecordsSchema,
            "ingest_time",
            "source",
            Duration.ofDays(14),
            Duration.ofDays(90)),
    DEAD_LETTERS(
            Zone.BRONZE,
            "dead_letters",
            "every dead letter of the normalizer: the raw record's bytes, coordinates and reason",
            HistoryTable::deadLettersSchema,
            "ingest_time",
            "source",
            Duration.ofDays(14),
            Duration.ofDays(90)),
    REQUESTS(
            Zone.SILVER,
            "requests",
            "deduplicated gateway and auth request events, tenant tokenized",
            HistoryTable::requestsSchema,
            "event_time",
            "region",
            Duration.ofDays(14),
            Duration.ZERO),
    METRIC_SAMPLES(
            Zone.SILVER,
            "metric_samples",
            "deduplicated Prometheus samples, one per series and timestamp",
            HistoryTable::metricSamplesSchema,
            "sample_time",
            "region",
            Duration.ofDays(14),
            Duration.ZERO),
    STATUS_EVENTS(
            Zone.SILVER,
            "status_events",
            "deduplicated deploys, feature-flag changes and incident tickets",
            HistoryTable::statusEventsSchema,
            "event_time",
            "region",
            Duration.ofDays(14),
            Duration.ZERO),
    KPI_SERVICE(
            Zone.GOLD,
            "kpi_service",
            "final KPI rows of the service grain",
            () -> GoldSchemas.kpiRows(Grain.SERVICE),
            "window_start",
            null,
            Duration.ofDays(396),
            Duration.ZERO),
    KPI_DRILLDOWN(
            Zone.GOLD,
            "kpi_drilldown",
            "final KPI rows of the drill-down grain",
            () -> GoldSchemas.kpiRows(Grain.DRILLDOWN),
            "window_start",
            null,
            Duration.ofDays(396),
            Duration.ZERO),
    KPI_SATURATION(
            Zone.GOLD,
            "kpi_saturation",
            "final saturation rows",
            () -> GoldSchemas.kpiRows(Grain.SATURATION),
            "window_start",
            null,
            Duration.ofDays(396),
            Duration.ZERO),
    KPI_TOO_LATE(
            Zone.GOLD,
            "kpi_too_late",
            "events that came after their window's lateness bound, counted per row",
            GoldSchemas::tooLate,
            "window_start",
            null,
            Duration.ofDays(396),
            Duration.ZERO),
    TENANT_USAGE_DAILY(
            Zone.GOLD,
            "tenant_usage_daily",
            "per tenant token, UTC day and region: requests, successes, bytes out and the peak"
                    + " per-minute request rate, for billing and capacity (TenantUsageJob)",
            GoldSchemas::tenantUsage,
            "usage_day",
            null,
            Duration.ofDays(396),
            Duration.ZERO);

    /** A namespace with its own access: who may read bronze is not who may read gold. */
    public enum Zone {
        BRONZE,
        SILVER,
        GOLD;

        public Namespace namespace() {
            return Namespace.of(name().toLowerCase(Locale.ROOT));
        }
    }

    private final Zone zone;
    private final String tableName;
    private final String description;
    private final Schema schema;
    private final String timeColumn;
    private final String identityColumn;
    private final Duration hotFor;
    private final Duration coldFor;

    HistoryTable(
            Zone zone,
            String tableName,
            String description,
            Supplier<Schema> schema,
            String timeColumn,
            String identityColumn,
            Duration hotFor,
            Duration coldFor) {
        this.zone = zone;
        this.tableName = tableName;
        this.description = description;
        this.schema = schema.get();
        this.timeColumn = timeColumn;
        this.identityColumn = identityColumn;
        this.hotFor = hotFor;
        this.coldFor = coldFor;
    }

    public Zone zone() {
        return zone;
    }

    public TableIdentifier identifier() {
        return TableIdentifier.of(zone.namespace(), tableName);
    }

    public String description() {
        return description;
    }

    public Schema schema() {
        return schema;
    }

    /** The gold table of a grain's final KPI rows. */
    public static HistoryTable finalRowsOf(Grain grain) {
        return switch (grain) {
            case SERVICE -> KPI_SERVICE;
            case DRILLDOWN -> KPI_DRILLDOWN;
            case SATURATION -> KPI_SATURATION;
        };
    }

    /** The column whose age decides when a partition is dropped. */
    public String timeColumn() {
        return timeColumn;
    }

    /** How long a partition stays in the hot storage class, by the age of its time column. */
    public Duration hotFor() {
        return hotFor;
    }

    /**
     * How long a partition is kept in all: its hot period, then (bronze) its cold one, in which the
     * storage's lifecycle rule has moved its files to a colder class (deploy/iceberg/). The table
     * stays one table: a backfill or an audit reads cold partitions as it reads hot ones.
     */
    public Duration keptFor() {
        return hotFor.plus(coldFor);
    }

    /**
     * Bronze and silver by the hour (a backfill reads hours), gold by the day (13 months of small
     * rows), with the source or region second where readers filter on it.
     */
    public PartitionSpec partitionSpec() {
        PartitionSpec.Builder spec = PartitionSpec.builderFor(schema);
        if (zone == Zone.GOLD) {
            spec.day(timeColumn);
        } else {
            spec.hour(timeColumn);
        }
        if (identityColumn != null) {
            spec.identity(identityColumn);
        }
        return spec.build();
    }

    private static Schema rawRecordsSchema() {
        return new Schema(
                required(1, "source", Types.StringType.get(), "the raw topic"),
                required(2, "kafka_partition", Types.IntegerType.get()),
                required(3, "kafka_offset", Types.LongType.get()),
                required(4, "kafka_timestamp", Types.TimestampType.withZone()),
                optional(5, "record_key", Types.BinaryType.get()),
                optional(6, "record_value", Types.BinaryType.get(), "the bytes as received"),
                required(
                        7,
                        "ingest_time",
                        Types.TimestampType.withZone(),
                        "when the history writer read the record"));
    }

    private static Schema deadLettersSchema() {
        return new Schema(
                required(1, "source", Types.StringType.get(), "the raw topic of the record"),
                required(2, "source_partition", Types.IntegerType.get()),
                required(3, "source_offset", Types.LongType.get()),
                required(4, "source_timestamp", Types.TimestampType.withZone()),
                required(5, "reason", Types.StringType.get()),
                optional(6, "detail", Types.StringType.get()),
                optional(7, "original_key", Types.BinaryType.get()),
                optional(8, "original_value", Types.BinaryType.get()),
                required(9, "dead_lettered_at", Types.TimestampType.withZone()),
                required(10, "dead_letter_partition", Types.IntegerType.get()),
                required(11, "dead_letter_offset", Types.LongType.get()),
                required(12, "ingest_time", Types.TimestampType.withZone()));
    }

    private static Schema requestsSchema() {
        return new Schema(
                required(1, "source", Types.StringType.get(), "GATEWAY or AUTH"),
                required(2, "request_id", Types.StringType.get()),
                required(3, "tenant_token", Types.StringType.get()),
                required(4, "tenant_tier", Types.StringType.get()),
                required(5, "region", Types.StringType.get()),
                optional(6, "availability_zone", Types.StringType.get()),
                optional(7, "product", Types.StringType.get()),
                optional(8, "service", Types.StringType.get()),
                optional(9, "endpoint", Types.StringType.get()),
                optional(10, "http_status", Types.IntegerType.get(), "null for auth events"),
                optional(11, "latency_ms", Types.DoubleType.get()),
                required(12, "bytes_out", Types.LongType.get()),
                optional(13, "user_agent", Types.StringType.get()),
                required(14, "event_time", Types.TimestampType.withZone()),
                required(15, "ingest_time", Types.TimestampType.withZone()),
                optional(16, "auth_outcome", Types.StringType.get(), "null for gateway events"),
                optional(17, "token_mint_latency_ms", Types.DoubleType.get()),
                optional(18, "dependency", Types.StringType.get()),
                required(
                        19,
                        "pipeline_clock",
                        Types.TimestampType.withZone(),
                        "the raw partition's clock the event was read at (decision 0009)"));
    }

    private static Schema metricSamplesSchema() {
        return new Schema(
                required(1, "metric_name", Types.StringType.get()),
                required(2, "series_key", Types.StringType.get()),
                required(
                        3,
                        "labels",
                        Types.MapType.ofRequired(
                                4, 5, Types.StringType.get(), Types.StringType.get())),
                required(6, "region", Types.StringType.get()),
                required(7, "service", Types.StringType.get()),
                required(8, "sample_time", Types.TimestampType.withZone()),
                required(9, "value", Types.DoubleType.get()),
                required(10, "ingest_time", Types.TimestampType.withZone()),
                required(11, "pipeline_clock", Types.TimestampType.withZone()));
    }

    private static Schema statusEventsSchema() {
        return new Schema(
                required(1, "event_id", Types.StringType.get()),
                required(2, "kind", Types.StringType.get()),
                optional(3, "origin", Types.StringType.get()),
                optional(4, "region", Types.StringType.get(), "null for a global change"),
                optional(5, "service", Types.StringType.get()),
                optional(6, "endpoint", Types.StringType.get()),
                required(7, "event_time", Types.TimestampType.withZone()),
                optional(8, "summary", Types.StringType.get()),
                optional(9, "version", Types.StringType.get()),
                required(10, "ingest_time", Types.TimestampType.withZone()));
    }
}
