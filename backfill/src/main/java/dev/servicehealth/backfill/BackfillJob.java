package dev.servicehealth.backfill;

import dev.servicehealth.aggregator.kafka.KpiRowJson;
import dev.servicehealth.aggregator.kpi.KpiRow;
import dev.servicehealth.history.HistoryCatalog;
import dev.servicehealth.history.HistoryInput;
import dev.servicehealth.history.HistoryRowTypes;
import dev.servicehealth.history.HistoryTable;
import dev.servicehealth.history.IcebergSinkTopology;
import dev.servicehealth.history.TopicRecord;
import dev.servicehealth.ingest.normalize.RawRecord;
import dev.servicehealth.model.catalog.Grain;
import dev.servicehealth.runtime.JobConfig;
import dev.servicehealth.runtime.JobOptions;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.sink.FlinkSink;
import org.apache.iceberg.flink.source.IcebergSource;

/**
 * The backfill's Flink job, in BATCH mode: bronze's raw records from the dedup retention before the
 * range on, through {@link BackfillTopology}, into the backfill's {@link StagedTables}: the final
 * rows of each gold table, the too-late counts (none are expected), and the upserts for Pinot. It
 * changes nothing anyone reads; {@code ./backfill-range} diffs the staged rows against gold and
 * applies them. On a cluster (the Flink Kubernetes operator) this main runs with the staged tables
 * made by {@code ./backfill-range --stage-only}, and marks them computed once the job has finished:
 * a diff of a job that failed or is still running is refused.
 */
public final class BackfillJob {
    private BackfillJob() {}

    public static void main(String[] args) throws Exception {
        BackfillConfig config =
                JobConfig.fromArgsOrExit(args, BackfillConfig::fromArgs, BackfillConfig.usage());
        String id = config.get(BackfillConfig.BACKFILL_ID);
        if (id == null) {
            System.err.println("--backfill-id is required: the id the staged tables were made for");
            System.exit(2);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        StagedTables staged = new StagedTables(id);
        defineWorkflow(env, config, staged);
        // in application mode this returns when the batch job has finished
        env.execute("backfill-" + id);
        Catalog catalog = config.catalog().open();
        try {
            staged.markComputed(catalog);
        } finally {
            if (catalog instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    public static void defineWorkflow(
            StreamExecutionEnvironment env, BackfillConfig config, StagedTables staged) {
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        int parallelism = config.get(JobOptions.PARALLELISM);
        if (parallelism > 0) {
            env.setParallelism(parallelism);
        }
        Configuration pipeline = new Configuration();
        // as in the streaming jobs: no function keeps or changes a record it was given
        pipeline.set(PipelineOptions.OBJECT_REUSE, true);
        env.configure(pipeline);

        HistoryCatalog catalog = config.catalog();
        BackfillRange range = config.range();
        Instant readFrom = range.readFrom(config.get(BackfillConfig.DEDUP_RETENTION));
        DataStream<RawRecord> raw = bronze(env, catalog, config, readFrom);
        BackfillTopology.Streams result = BackfillTopology.build(raw, config.settings());

        long computedAt = System.currentTimeMillis();
        Map<HistoryInput, DataStream<TopicRecord>> inputs = new EnumMap<>(HistoryInput.class);
        inputs.put(
                HistoryInput.FINAL_KPI_ROWS,
                result.rows()
                        .map(
                                row ->
                                        new TopicRecord(
                                                "backfill",
                                                0,
                                                0,
                                                computedAt,
                                                KpiRowJson.key(row.key()),
                                                KpiRowJson.row(row),
                                                computedAt),
                                TypeInformation.of(TopicRecord.class))
                        .name("final-rows"));
        inputs.put(
                HistoryInput.TOO_LATE_COUNTS,
                result.tooLate()
                        .map(
                                partial ->
                                        new TopicRecord(
                                                "backfill",
                                                0,
                                                0,
                                                computedAt,
                                                KpiRowJson.key(partial.key()),
                                                KpiRowJson.tooLate(partial, computedAt),
                                                computedAt),
                                TypeInformation.of(TopicRecord.class))
                        .name("too-late-counts"));
        Map<HistoryTable, DataStream<RowData>> tables =
                IcebergSinkTopology.build(
                        inputs, config.metricsPort(), config.metricsBindAddress());
        for (HistoryTable gold : config.goldTables()) {
            FlinkSink.forRowData(tables.get(gold))
                    .tableLoader(catalog.tableLoader(staged.rowsOf(gold)))
                    .uidPrefix("backfill." + gold.identifier())
                    .append();
        }

        Map<Grain, String> topics = config.upsertTopics();
        DataStream<RowData> upserts =
                result.rows()
                        .map(
                                (KpiRow row) ->
                                        (RowData)
                                                GenericRowData.of(
                                                        StringData.fromString(
                                                                topics.get(row.key().grain())),
                                                        KpiRowJson.key(row.key()),
                                                        KpiRowJson.row(row)),
                                InternalTypeInfo.of(
                                        FlinkSchemaUtil.convert(StagedTables.UPSERTS_SCHEMA)))
                        .name("upserts");
        FlinkSink.forRowData(upserts)
                .tableLoader(catalog.tableLoader(staged.upserts()))
                .uidPrefix("backfill.upserts")
                .append();
    }

    /**
     * Bronze's raw records of the configured raw topics that arrived from {@code readFrom} on. The
     * filters prune files by ingest time (partitions) and Kafka timestamp (column bounds); the
     * filter after the read decides, by the Kafka timestamp, as the stream saw them.
     */
    private static DataStream<RawRecord> bronze(
            StreamExecutionEnvironment env,
            HistoryCatalog catalog,
            BackfillConfig config,
            Instant readFrom) {
        long fromMicros = readFrom.toEpochMilli() * 1000;
        // the history writer reads a record after it was produced; a producer clock ahead by up
        // to the future skew is the most a record's ingest time can precede its Kafka timestamp
        long ingestFromMicros =
                readFrom.minus(config.get(BackfillConfig.MAX_FUTURE_SKEW)).toEpochMilli() * 1000;
        List<String> topics = List.copyOf(config.sourceByTopic().keySet());
        IcebergSource<RowData> source =
                IcebergSource.forRowData()
                        .tableLoader(catalog.tableLoader(HistoryTable.RAW_RECORDS))
                        .streaming(false)
                        // the columns read by position below, whatever the table adds
                        .project(HistoryTable.RAW_RECORDS.schema())
                        .filters(
                                List.of(
                                        Expressions.greaterThanOrEqual(
                                                "ingest_time", ingestFromMicros),
                                        Expressions.greaterThanOrEqual(
                                                "kafka_timestamp", fromMicros),
                                        Expressions.in("source", topics.toArray())))
                        .build();
        long fromMs = readFrom.toEpochMilli();
        return env.fromSource(
                        source,
                        WatermarkStrategy.noWatermarks(),
                        "bronze-raw-records",
                        HistoryRowTypes.of(HistoryTable.RAW_RECORDS))
                .uid("backfill.bronze-raw-records")
                .filter(
                        row ->
                                row.getTimestamp(3, 6).getMillisecond() >= fromMs
                                        && topics.contains(row.getString(0).toString()))
                .name("bronze-from-read-start")
                .map(BackfillJob::rawRecord, TypeInformation.of(RawRecord.class))
                .name("raw-records");
    }

    /** A bronze row as the normalizer reads a Kafka record; the bytes are not copied. */
    private static RawRecord rawRecord(RowData row) {
        return new RawRecord(
                row.getString(0).toString(),
                row.getInt(1),
                row.getLong(2),
                row.getTimestamp(3, 6).getMillisecond(),
                row.isNullAt(4) ? null : row.getBinary(4),
                row.isNullAt(5) ? null : row.getBinary(5));
    }
}
