package dev.servicehealth.history;

import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.catalog.MetricCatalog;
import dev.servicehealth.runtime.JobArguments;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.flink.sink.FlinkSink;
import org.apache.iceberg.flink.source.IcebergSource;

/**
 * The daily billing and capacity batch (seed 004's tier 4): a Flink batch job over one UTC day of
 * {@code silver.requests} into {@code gold.tenant_usage_daily}, per tenant token and region. It
 * replaces the day's partition in one commit, so a rerun (after a backfill of silver, say) gives
 * the same rows and nothing doubles; the other days are untouched.
 *
 * <pre>
 * silver.requests (the day) ─► usage per event ─► per tenant, region, minute ─► per tenant, region
 *                                                                             ─► gold.tenant_usage_daily
 * </pre>
 */
public final class TenantUsageJob {
    static final ConfigOption<String> DAY =
            ConfigOptions.key("day")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("the UTC day to compute, e.g. 2026-12-01 (Airflow's ds)");

    private static final List<ConfigOption<?>> OPTIONS = options();

    private TenantUsageJob() {}

    private static List<ConfigOption<?>> options() {
        List<ConfigOption<?>> options = new ArrayList<>(HistoryCatalogOptions.ALL);
        options.add(DAY);
        return List.copyOf(options);
    }

    public static void main(String[] args) throws Exception {
        Configuration conf;
        LocalDate day;
        try {
            Map<String, String> values = JobArguments.parse(args);
            conf = JobArguments.toConfiguration(values, OPTIONS);
            HistoryCatalogOptions.check(conf::get);
            day = day(conf.get(DAY));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(JobArguments.usage("tenant-usage", OPTIONS));
            System.exit(2);
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        defineWorkflow(env, HistoryCatalogOptions.catalog(conf::get), day);
        env.execute("tenant-usage-" + day);
    }

    static LocalDate day(String value) {
        if (value == null) {
            throw new IllegalArgumentException("--" + DAY.key() + " is required");
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "--" + DAY.key() + " " + value + " is not a day such as 2026-12-01");
        }
    }

    public static void defineWorkflow(
            StreamExecutionEnvironment env, HistoryCatalog catalog, LocalDate day)
            throws IOException {
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        long dayStartMs = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long dayEndMs = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        IcebergSource<RowData> silver =
                IcebergSource.forRowData()
                        .tableLoader(catalog.tableLoader(HistoryTable.REQUESTS))
                        .streaming(false)
                        // the columns requestEvent reads by position, whatever the table adds
                        .project(HistoryTable.REQUESTS.schema())
                        .filters(
                                List.of(
                                        Expressions.greaterThanOrEqual(
                                                "event_time", dayStartMs * 1000),
                                        Expressions.lessThan("event_time", dayEndMs * 1000)))
                        .build();
        DataStream<RowData> requests =
                env.fromSource(
                                silver,
                                WatermarkStrategy.noWatermarks(),
                                "silver-requests",
                                HistoryRowTypes.of(HistoryTable.REQUESTS))
                        .uid("tenant-usage.silver-requests");
        DataStream<RowData> usage =
                daily(requests, dayStartMs, dayEndMs)
                        .map(
                                u -> row(u, dayStartMs),
                                HistoryRowTypes.of(HistoryTable.TENANT_USAGE_DAILY))
                        .name("usage-rows");
        FlinkSink.forRowData(usage)
                .tableLoader(catalog.tableLoader(HistoryTable.TENANT_USAGE_DAILY))
                // replaces the partitions that receive rows: the day's
                .overwrite(true)
                .uidPrefix("tenant-usage." + HistoryTable.TENANT_USAGE_DAILY.identifier())
                .append();
    }

    /** The day's usage per tenant and region, from the day's silver requests. */
    static DataStream<TenantUsage> daily(
            DataStream<RowData> requests, long dayStartMs, long dayEndMs) {
        return requests.map(SilverRows::requestEvent, TypeInformation.of(RequestEvent.class))
                .name("request-events")
                // the file filter prunes, this decides: only the day's events, only requests
                .filter(
                        e ->
                                e.eventTimeMs() >= dayStartMs
                                        && e.eventTimeMs() < dayEndMs
                                        && MetricCatalog.REQUESTS.of(e) > 0)
                .name("the-days-requests")
                .map(TenantUsage::of, TypeInformation.of(TenantUsage.class))
                .name("usage-per-event")
                .keyBy(u -> u.tenantToken() + '|' + u.region() + '|' + u.minuteStartMs())
                .reduce(TenantUsage::plusSameMinute)
                .name("usage-per-minute")
                .keyBy(u -> u.tenantToken() + '|' + u.region())
                .reduce(TenantUsage::plusSameDay)
                .name("usage-per-day");
    }

    private static RowData row(TenantUsage usage, long dayStartMs) {
        return GenericRowData.of(
                TimestampData.fromInstant(Instant.ofEpochMilli(dayStartMs)),
                StringData.fromString(usage.tenantToken()),
                StringData.fromString(usage.region()),
                usage.requests(),
                usage.successes(),
                usage.bytesOut(),
                usage.peakRequestsPerMinute());
    }
}
