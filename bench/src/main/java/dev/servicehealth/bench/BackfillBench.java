package dev.servicehealth.bench;

import dev.servicehealth.backfill.BackfillConfig;
import dev.servicehealth.backfill.BackfillJob;
import dev.servicehealth.backfill.StagedTables;
import dev.servicehealth.history.HistoryCatalog;
import dev.servicehealth.history.HistoryTable;
import dev.servicehealth.history.IcebergSinkJob;
import dev.servicehealth.model.privacy.TenantKeyFile;
import dev.servicehealth.simulator.Scenario;
import dev.servicehealth.simulator.SimulatedRecord;
import dev.servicehealth.simulator.SimulatorConfig;
import dev.servicehealth.simulator.TopicNames;
import dev.servicehealth.simulator.TrafficSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;

/**
 * Raw records per CPU-second of the backfill's batch job, and what recomputing 24 hours at
 * production rates costs.
 *
 * <pre>
 *   bronze.raw_records ─► normalize ─► first copy wins ─► the range's events ─► KPI windows ─► staged gold rows
 *   (simulator traffic, written    (the streaming jobs' own topologies, BATCH mode)            and upserts
 *    as the iceberg-sink would)
 * </pre>
 *
 * <p>The traffic (steady state, the simulator's default dirt: retries, late and malformed lines) is
 * written into bronze first, then the job runs alone (at parallelism 1 unless {@code --parallelism}
 * says otherwise) on a MiniCluster in this JVM, after a warm-up run; CPU time is the whole
 * process's around the job. Not measured: the diff and the commit (per row of the range, not per
 * event) and the storage's latency (the warehouse is the local disk).
 */
public final class BackfillBench {
    private static final int RAW_PARTITIONS = 8;

    private BackfillBench() {}

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args, 1_000_000, 2);
        long events = options.events();
        int runs = options.runs();
        int parallelism = options.parallelism();
        Path dir = Files.createTempDirectory("backfill-bench");
        Path keyFile = dir.resolve("tenant.key");
        TenantKeyFile.writeRandom(keyFile);
        HistoryCatalog history = HistoryCatalog.inDirectory("bench", dir);
        IcebergSinkJob.prepareTables(history, true);

        int perSecond = 2_000;
        Duration duration = Duration.ofSeconds(Math.max(60, events / perSecond));
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
        List<SimulatedRecord> traffic =
                TrafficSimulator.generate(
                                SimulatorConfig.builder()
                                        .seed(15L)
                                        .scenario(Scenario.STEADY_STATE)
                                        .start(start)
                                        .duration(duration)
                                        .eventsPerSecond(perSecond)
                                        .topics(TopicNames.defaults())
                                        .build())
                        .records();
        long written = writeBronze(history, traffic);
        Instant end = start.plus(duration).truncatedTo(ChronoUnit.MINUTES);
        System.out.printf(
                Locale.ROOT,
                "backfill: %,d raw records in bronze (%s of steady-state traffic at %,d events/s),"
                        + " range [%s, %s), parallelism %d, SQLite catalog in %s; Java %s, %d CPUs%n",
                written,
                duration,
                perSecond,
                start,
                end,
                parallelism,
                dir,
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());

        BackfillConfig config =
                BackfillConfig.fromArgs(
                        "--from",
                        start.toString(),
                        "--to",
                        end.toString(),
                        "--reason",
                        "benchmark",
                        "--generation",
                        "1",
                        "--bootstrap-servers",
                        "127.0.0.1:9",
                        "--topic.reference",
                        "",
                        "--tenant-key-file",
                        keyFile.toString(),
                        "--catalog-name",
                        history.name(),
                        "--catalog-uri",
                        history.uri(),
                        "--warehouse",
                        history.warehouse(),
                        "--metrics-port",
                        "-1",
                        "--parallelism",
                        Integer.toString(parallelism));
        MiniCluster cluster = BenchCluster.start(new Configuration(), parallelism);
        Catalog catalog = history.open();
        try {
            for (int run = 0; run <= runs; run++) {
                StagedTables staged = new StagedTables("bench_" + run);
                staged.create(catalog, config.goldTables());
                StreamExecutionEnvironment env =
                        StreamExecutionEnvironment.getExecutionEnvironment();
                BackfillJob.defineWorkflow(env, config, staged);
                JobGraph job = env.getStreamGraph().getJobGraph();
                ProcessCost cost = ProcessCost.of(() -> cluster.executeJobBlocking(job));
                long rows = 0;
                for (HistoryTable gold : config.goldTables()) {
                    rows += committedRows(catalog.loadTable(staged.rowsOf(gold)));
                }
                staged.drop(catalog, config.goldTables(), java.util.Set.of());
                if (run == 0) {
                    System.out.printf(
                            Locale.ROOT,
                            "warm-up: %.1f s, %,d rows%n",
                            cost.wallNanos() / 1e9,
                            rows);
                    continue;
                }
                double perCpu = cost.perCpuSecond(written);
                // 24 h of production traffic in raw records: log lines at 400 K a second on
                // average (docs/benchmarks.md); a remote-write body carries many samples, so
                // the metrics add few records
                double perSecondInProduction = 400_000;
                double coreHours = perSecondInProduction * 86_400 / perCpu / 3600;
                System.out.printf(
                        Locale.ROOT,
                        "run %d: %,.0f raw records per CPU-second, %,.0f per wall second, %.1f s"
                                + " wall, %.1f s CPU, %d GCs (%d ms), %,d staged rows; 24 h at"
                                + " production rate: %,.0f core-hours, %,.0f cores to do it in"
                                + " 72 min (20× real time)%n",
                        run,
                        perCpu,
                        cost.perWallSecond(written),
                        cost.wallNanos() / 1e9,
                        cost.cpuNanos() / 1e9,
                        cost.gcCount(),
                        cost.gcMillis(),
                        rows,
                        coreHours,
                        coreHours / 1.2);
            }
        } finally {
            ((AutoCloseable) catalog).close();
            cluster.close();
        }
    }

    /**
     * The traffic as the iceberg-sink writes it to bronze: each record in a raw partition by its
     * key, offsets in order, ingest time a second after its Kafka timestamp; one file per hour and
     * topic, as the table is partitioned.
     */
    private static long writeBronze(HistoryCatalog history, List<SimulatedRecord> traffic)
            throws Exception {
        Catalog catalog = history.open();
        try {
            Table bronze = catalog.loadTable(HistoryTable.RAW_RECORDS.identifier());
            Map<String, long[]> offsets = new HashMap<>();
            Map<List<Object>, List<Record>> files = new LinkedHashMap<>();
            for (SimulatedRecord record : traffic) {
                int partition =
                        Math.floorMod(
                                record.key() == null
                                        ? Arrays.hashCode(record.value())
                                        : Arrays.hashCode(record.key()),
                                RAW_PARTITIONS);
                long offset =
                        offsets.computeIfAbsent(record.topic(), t -> new long[RAW_PARTITIONS])[
                                partition]++;
                Instant ingest = Instant.ofEpochMilli(record.timestampMs() + 1_000);
                Record row = GenericRecord.create(bronze.schema());
                row.setField("source", record.topic());
                row.setField("kafka_partition", partition);
                row.setField("kafka_offset", offset);
                row.setField(
                        "kafka_timestamp",
                        OffsetDateTime.ofInstant(
                                Instant.ofEpochMilli(record.timestampMs()), ZoneOffset.UTC));
                row.setField(
                        "record_key", record.key() == null ? null : ByteBuffer.wrap(record.key()));
                row.setField("record_value", ByteBuffer.wrap(record.value()));
                row.setField("ingest_time", OffsetDateTime.ofInstant(ingest, ZoneOffset.UTC));
                files.computeIfAbsent(
                                List.of(record.topic(), ingest.truncatedTo(ChronoUnit.HOURS)),
                                k -> new ArrayList<>())
                        .add(row);
            }
            GenericFileWriterFactory writers =
                    new GenericFileWriterFactory.Builder(bronze)
                            .dataFileFormat(FileFormat.PARQUET)
                            .build();
            OutputFileFactory names =
                    OutputFileFactory.builderFor(bronze, 1, 1).format(FileFormat.PARQUET).build();
            var append = bronze.newAppend();
            long written = 0;
            for (List<Record> rows : files.values()) {
                PartitionKey key = new PartitionKey(bronze.spec(), bronze.schema());
                key.partition(
                        new InternalRecordWrapper(bronze.schema().asStruct()).wrap(rows.get(0)));
                DataWriter<Record> writer =
                        writers.newDataWriter(
                                names.newOutputFile(bronze.spec(), key), bronze.spec(), key);
                try (writer) {
                    for (Record row : rows) {
                        writer.write(row);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                append.appendFile(writer.toDataFile());
                written += rows.size();
            }
            append.commit();
            return written;
        } finally {
            ((AutoCloseable) catalog).close();
        }
    }

    private static long committedRows(Table table) {
        return table.currentSnapshot() == null
                ? 0
                : Long.parseLong(
                        table.currentSnapshot().summary().getOrDefault("total-records", "0"));
    }
}
