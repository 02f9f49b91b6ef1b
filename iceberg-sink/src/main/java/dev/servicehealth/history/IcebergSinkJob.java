package dev.servicehealth.history;

import dev.servicehealth.runtime.JobConfig;
import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.flink.sink.FlinkSink;

/**
 * The iceberg-sink Flink job: the raw topics and dead letters into bronze, the dedup topics into
 * silver, the final KPI rows and too-late counts into gold, each table committed exactly once.
 *
 * <p>Guarantees: each writer's files are committed to its table when the checkpoint that covers
 * them completes, in one Iceberg snapshot per table and checkpoint, and the Kafka offsets of that
 * checkpoint are what a restore reads from; a snapshot records the job and checkpoint it commits,
 * so a restore never commits a checkpoint twice. Nothing read is lost: a record that makes no row
 * is counted and logged, and every raw record is in bronze whatever its bytes. Ordering within a
 * table is not kept and not needed: readers filter and sort by the time columns.
 *
 * <p>Iceberg's table maintenance runs in the same job ({@link HistoryMaintenance}): compaction,
 * snapshot expiry and orphan-file removal while the writers commit.
 */
public final class IcebergSinkJob {
    private IcebergSinkJob() {}

    public static void main(String[] args) throws Exception {
        IcebergSinkConfig config =
                JobConfig.fromArgsOrExit(
                        args, IcebergSinkConfig::fromArgs, IcebergSinkConfig.usage());
        prepareTables(config.catalog(), config.get(IcebergSinkConfig.CREATE_TABLES));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        defineWorkflow(env, config);
        env.execute("iceberg-sink");
    }

    /**
     * Creates the missing tables when asked to, then checks every table against what this version
     * writes, so that a job never starts writing rows a table cannot hold.
     */
    public static void prepareTables(HistoryCatalog catalog, boolean createMissing)
            throws Exception {
        Catalog opened = catalog.open();
        try {
            if (createMissing) {
                HistoryCatalog.createMissing(opened);
            }
            HistoryCatalog.checkTables(opened);
        } finally {
            if (opened instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    public static void defineWorkflow(StreamExecutionEnvironment env, IcebergSinkConfig config)
            throws IOException {
        // generic types stay enabled: FlinkSink passes its write results to the committer by Kryo
        config.configure(env);

        Map<HistoryInput, DataStream<TopicRecord>> inputs = new EnumMap<>(HistoryInput.class);
        for (HistoryInput input : HistoryInput.values()) {
            inputs.put(
                    input,
                    env.fromSource(
                                    config.committedSource(
                                            topics(config, input), new TopicRecordDeserializer()),
                                    WatermarkStrategy.noWatermarks(),
                                    input.id())
                            .uid("iceberg-sink.source-" + input.id()));
        }
        Map<HistoryTable, DataStream<RowData>> tables =
                IcebergSinkTopology.build(
                        inputs, config.metricsPort(), config.metricsBindAddress());
        HistoryCatalog catalog = config.catalog();
        appendTo(catalog, tables, "iceberg-sink");
        if (config.get(IcebergSinkConfig.MAINTENANCE)) {
            HistoryMaintenance.schedule(env, catalog, config.maintenance());
        }
    }

    /**
     * One Iceberg writer per table, committing on checkpoints, its operators' ids fixed as {@code
     * <uidPrefix>.<zone>.<table>}.
     */
    public static void appendTo(
            HistoryCatalog catalog,
            Map<HistoryTable, DataStream<RowData>> tables,
            String uidPrefix) {
        for (Map.Entry<HistoryTable, DataStream<RowData>> table : tables.entrySet()) {
            FlinkSink.forRowData(table.getValue())
                    .tableLoader(catalog.tableLoader(table.getKey()))
                    .uidPrefix(uidPrefix + "." + table.getKey().identifier())
                    .append();
        }
    }

    private static List<String> topics(IcebergSinkConfig config, HistoryInput input) {
        return switch (input) {
            case RAW_RECORDS -> config.get(IcebergSinkConfig.RAW_IN);
            case DEAD_LETTERS -> List.of(config.get(IcebergSinkConfig.DEAD_LETTERS_IN));
            case REQUESTS -> List.of(config.get(IcebergSinkConfig.REQUESTS_IN));
            case METRIC_SAMPLES -> List.of(config.get(IcebergSinkConfig.METRICS_IN));
            case STATUS_EVENTS -> List.of(config.get(IcebergSinkConfig.STATUS_IN));
            case FINAL_KPI_ROWS -> List.of(config.get(IcebergSinkConfig.HISTORY_IN));
            case TOO_LATE_COUNTS -> List.of(config.get(IcebergSinkConfig.TOO_LATE_IN));
        };
    }
}
