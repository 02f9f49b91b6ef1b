package dev.servicehealth.bench;

import dev.servicehealth.history.HistoryCatalog;
import dev.servicehealth.history.HistoryInput;
import dev.servicehealth.history.HistoryTable;
import dev.servicehealth.history.IcebergSinkJob;
import dev.servicehealth.history.IcebergSinkTopology;
import dev.servicehealth.history.TopicRecord;
import dev.servicehealth.model.EventCodec;
import dev.servicehealth.model.privacy.TenantTokenizer;
import dev.servicehealth.simulator.LogicalRequest;
import dev.servicehealth.simulator.SimulatorConfig;
import dev.servicehealth.simulator.TrafficSimulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.flink.sink.FlinkSink;

/**
 * Records per CPU-second of the iceberg-sink's bronze and silver paths, and the bytes a row takes
 * in the table, for the capacity model.
 *
 * <pre>
 *   DataGeneratorSource ──► rows (IcebergSinkTopology) ──► FlinkSink ──► bronze.raw_records
 *   (simulator gateway lines, looped)                                     (SQLite catalog, file://)
 *   DataGeneratorSource ──► rows ──────────────────────► FlinkSink ──► silver.requests
 *   (the same traffic's distinct requests, encoded as the dedup job writes them)
 * </pre>
 *
 * <p>A MiniCluster in this JVM runs each path alone at parallelism 1 over a bounded source; the
 * writer commits at the end of the input, as at a checkpoint. CPU time is the whole process's
 * around each job after a warm-up job, so records per CPU-second is the cost per core of turning
 * records into rows, writing Parquet with zstd and committing. Not measured: the Kafka source,
 * checkpoints, the storage's latency (the warehouse is the local disk).
 */
public final class HistoryWriterBench {
    private HistoryWriterBench() {}

    public static void main(String[] args) throws Exception {
        long events = 2_000_000;
        int runs = 2;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--events" -> events = Long.parseLong(args[i + 1]);
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                default -> {
                    System.err.println(
                            "unknown option " + args[i] + "; usage: --events N --runs N");
                    System.exit(2);
                }
            }
        }
        Path dir = Files.createTempDirectory("history-bench");
        HistoryCatalog catalog =
                HistoryCatalog.jdbc(
                        "bench",
                        "jdbc:sqlite:" + dir.resolve("catalog.db"),
                        dir.resolve("warehouse").toUri().toString());
        IcebergSinkJob.createMissingTables(catalog);
        Pools pools = Pools.generate(200_000);
        System.out.printf(
                Locale.ROOT,
                "history writer: %,d records per run, parallelism 1, Parquet zstd, SQLite catalog in"
                        + " %s; Java %s, %d CPUs; pools: %,d gateway lines (mean %d bytes), %,d"
                        + " request events (mean %d bytes)%n",
                events,
                dir,
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                pools.raw().size(),
                pools.meanRawBytes(),
                pools.requests().size(),
                pools.meanRequestBytes());
        MiniCluster cluster = BenchCluster.start(new Configuration());
        try {
            for (HistoryInput input : List.of(HistoryInput.RAW_RECORDS, HistoryInput.REQUESTS)) {
                List<TopicRecord> pool =
                        input == HistoryInput.RAW_RECORDS ? pools.raw() : pools.requests();
                HistoryTable table =
                        input == HistoryInput.RAW_RECORDS
                                ? HistoryTable.RAW_RECORDS
                                : HistoryTable.REQUESTS;
                cluster.executeJobBlocking(job(catalog, input, table, pool, events / 4));
                for (int run = 1; run <= runs; run++) {
                    long rowsBefore = totals(catalog, table)[0];
                    long bytesBefore = totals(catalog, table)[1];
                    JobGraph job = job(catalog, input, table, pool, events);
                    ProcessCost cost = ProcessCost.of(() -> cluster.executeJobBlocking(job));
                    long[] after = totals(catalog, table);
                    long rows = after[0] - rowsBefore;
                    if (rows != events) {
                        throw new IllegalStateException(
                                events + " records sent, " + rows + " rows committed");
                    }
                    System.out.printf(
                            Locale.ROOT,
                            "%-20s run %d: %,9.0f records/CPU-s, %,9.0f records/s wall, CPU %.1f"
                                    + " s, wall %.1f s, GC %d (%d ms), %.1f bytes per row"
                                    + " stored%n",
                            table.identifier(),
                            run,
                            cost.perCpuSecond(events),
                            cost.perWallSecond(events),
                            cost.cpuNanos() / 1e9,
                            cost.wallNanos() / 1e9,
                            cost.gcCount(),
                            cost.gcMillis(),
                            (after[1] - bytesBefore) / (double) rows);
                }
            }
        } finally {
            cluster.close();
        }
    }

    private static JobGraph job(
            HistoryCatalog catalog,
            HistoryInput input,
            HistoryTable table,
            List<TopicRecord> pool,
            long events) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        DataStream<TopicRecord> records =
                env.fromSource(
                        new DataGeneratorSource<>(
                                new Looped(pool),
                                events,
                                RateLimiterStrategy.noOp(),
                                TypeInformation.of(TopicRecord.class)),
                        WatermarkStrategy.noWatermarks(),
                        input.id());
        Map<HistoryTable, DataStream<RowData>> rows =
                IcebergSinkTopology.build(Map.of(input, records), -1, "127.0.0.1");
        FlinkSink.forRowData(rows.get(table))
                .tableLoader(catalog.tableLoader(table))
                .uidPrefix("bench." + table.identifier())
                .append();
        return env.getStreamGraph().getJobGraph();
    }

    /** Rows and data-file bytes of the table's current snapshot. */
    private static long[] totals(HistoryCatalog catalog, HistoryTable table) throws Exception {
        Catalog tables = catalog.open();
        try {
            Table iceberg = tables.loadTable(table.identifier());
            Snapshot snapshot = iceberg.currentSnapshot();
            if (snapshot == null) {
                return new long[] {0, 0};
            }
            return new long[] {
                Long.parseLong(snapshot.summary().getOrDefault("total-records", "0")),
                Long.parseLong(snapshot.summary().getOrDefault("total-files-size", "0"))
            };
        } finally {
            ((AutoCloseable) tables).close();
        }
    }

    /** The pool's records in a loop, each with its own offset, read now. */
    private record Looped(List<TopicRecord> pool) implements GeneratorFunction<Long, TopicRecord> {
        @Override
        public TopicRecord map(Long index) {
            TopicRecord r = pool.get((int) (index % pool.size()));
            return new TopicRecord(
                    r.topic(),
                    r.partition(),
                    index,
                    r.timestampMs(),
                    r.key(),
                    r.value(),
                    System.currentTimeMillis());
        }
    }

    /** Simulator traffic: its gateway lines as received, its distinct requests as deduplicated. */
    private record Pools(List<TopicRecord> raw, List<TopicRecord> requests) {
        static Pools generate(int size) {
            Instant start =
                    Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(1));
            TrafficSimulator.Generation traffic =
                    TrafficSimulator.generate(
                            SimulatorConfig.builder()
                                    .start(start)
                                    .duration(Duration.ofSeconds(size / 2_000 + 60))
                                    .eventsPerSecond(2_000)
                                    .build());
            List<TopicRecord> raw = new ArrayList<>();
            traffic.records().stream()
                    .filter(r -> r.topic().equals(GatewayLines.TOPIC))
                    .limit(size)
                    .forEach(
                            r ->
                                    raw.add(
                                            new TopicRecord(
                                                    r.topic(),
                                                    0,
                                                    raw.size(),
                                                    r.timestampMs(),
                                                    r.key(),
                                                    r.value(),
                                                    0)));
            TenantTokenizer tokenizer =
                    new TenantTokenizer(
                            "bench-key-of-32-bytes-0123456789".getBytes(StandardCharsets.UTF_8));
            List<TopicRecord> requests = new ArrayList<>();
            for (LogicalRequest request : traffic.groundTruth().distinctRequests().values()) {
                if (requests.size() == size) {
                    break;
                }
                requests.add(
                        new TopicRecord(
                                "dedup.requests.v1",
                                0,
                                requests.size(),
                                request.eventTimeMs() - 10_001,
                                EventCodec.key(request.key().dedupKey()),
                                EventCodec.encode(
                                        request.toRequestEvent(
                                                tokenizer.token(request.tenantId()),
                                                request.emissionTimeMs())),
                                0));
            }
            return new Pools(List.copyOf(raw), List.copyOf(requests));
        }

        int meanRawBytes() {
            return (int) raw.stream().mapToInt(r -> r.value().length).average().orElse(0);
        }

        int meanRequestBytes() {
            return (int) requests.stream().mapToInt(r -> r.value().length).average().orElse(0);
        }
    }
}
