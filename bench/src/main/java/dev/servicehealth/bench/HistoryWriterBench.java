package dev.servicehealth.bench;

import dev.servicehealth.aggregator.kafka.KpiRowJson;
import dev.servicehealth.aggregator.kpi.Firing;
import dev.servicehealth.aggregator.kpi.KpiKey;
import dev.servicehealth.aggregator.kpi.KpiRow;
import dev.servicehealth.aggregator.sketch.LatencySketch;
import dev.servicehealth.history.HistoryCatalog;
import dev.servicehealth.history.HistoryInput;
import dev.servicehealth.history.HistoryTable;
import dev.servicehealth.history.IcebergSinkJob;
import dev.servicehealth.history.IcebergSinkTopology;
import dev.servicehealth.history.TopicRecord;
import dev.servicehealth.model.EventCodec;
import dev.servicehealth.model.catalog.Grain;
import dev.servicehealth.model.catalog.MetricCatalog;
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
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
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
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.catalog.Catalog;

/**
 * Records per CPU-second of the iceberg-sink's bronze, silver and gold paths, and the bytes a row
 * takes in each table, for the capacity model.
 *
 * <pre>
 *   DataGeneratorSource ──► rows (IcebergSinkTopology) ──► FlinkSink ──► bronze.raw_records
 *   (simulator gateway lines, looped)                                     (SQLite catalog, file://)
 *   DataGeneratorSource ──► rows ──────────────────────► FlinkSink ──► silver.requests
 *   (the same traffic's distinct requests, encoded as the dedup job writes them)
 *   DataGeneratorSource ──► rows ──────────────────────► FlinkSink ──► gold.kpi_service, _drilldown
 *   (final KPI rows as JSON: service rows of 10,000 events, drill-down rows of 20)
 * </pre>
 *
 * <p>A MiniCluster in this JVM runs each path alone (at parallelism 1 unless {@code --parallelism}
 * says otherwise) over a bounded source; the writer commits at the end of the input, as at a
 * checkpoint. CPU time is the whole process's around each job after a warm-up job, so records per
 * CPU-second is the cost per core of turning records into rows, writing Parquet with zstd and
 * committing. Not measured: the Kafka source, checkpoints, the storage's latency (the warehouse is
 * the local disk).
 */
public final class HistoryWriterBench {
    private HistoryWriterBench() {}

    public static void main(String[] args) throws Exception {
        BenchOptions options = BenchOptions.parse(args, 2_000_000, 2);
        long events = options.events();
        int runs = options.runs();
        int parallelism = options.parallelism();
        Path dir = Files.createTempDirectory("history-bench");
        HistoryCatalog catalog = HistoryCatalog.inDirectory("bench", dir);
        IcebergSinkJob.prepareTables(catalog, true);
        Pools pools = Pools.generate(200_000);
        System.out.printf(
                Locale.ROOT,
                "history writer: %,d records per run, parallelism %d, Parquet zstd, SQLite catalog in"
                        + " %s; Java %s, %d CPUs; pools: %,d gateway lines (mean %d bytes), %,d"
                        + " request events (mean %d bytes)%n",
                events,
                parallelism,
                dir,
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                pools.raw().size(),
                pools.meanRawBytes(),
                pools.requests().size(),
                pools.meanRequestBytes());
        MiniCluster cluster = BenchCluster.start(new Configuration(), parallelism);
        try {
            for (HistoryInput input :
                    List.of(
                            HistoryInput.RAW_RECORDS,
                            HistoryInput.REQUESTS,
                            HistoryInput.FINAL_KPI_ROWS)) {
                List<TopicRecord> pool =
                        switch (input) {
                            case RAW_RECORDS -> pools.raw();
                            case REQUESTS -> pools.requests();
                            default -> finalRows(5_000, 10_000, 20);
                        };
                // a final row costs about ten raw lines to write: a tenth of the records
                long records = input == HistoryInput.FINAL_KPI_ROWS ? events / 10 : events;
                cluster.executeJobBlocking(job(catalog, input, pool, records / 4, parallelism));
                for (int run = 1; run <= runs; run++) {
                    Map<HistoryTable, long[]> before = totals(catalog, input);
                    JobGraph job = job(catalog, input, pool, records, parallelism);
                    ProcessCost cost = ProcessCost.of(() -> cluster.executeJobBlocking(job));
                    Map<HistoryTable, long[]> after = totals(catalog, input);
                    long rows = 0;
                    StringBuilder perRow = new StringBuilder();
                    for (Map.Entry<HistoryTable, long[]> table : after.entrySet()) {
                        long tableRows = table.getValue()[0] - before.get(table.getKey())[0];
                        long tableBytes = table.getValue()[1] - before.get(table.getKey())[1];
                        rows += tableRows;
                        if (tableRows > 0) {
                            perRow.append(
                                    String.format(
                                            Locale.ROOT,
                                            "; %s %.1f bytes per row",
                                            table.getKey().identifier(),
                                            tableBytes / (double) tableRows));
                        }
                    }
                    if (rows != records) {
                        throw new IllegalStateException(
                                records + " records sent, " + rows + " rows committed");
                    }
                    System.out.printf(
                            Locale.ROOT,
                            "%-14s run %d: %,9.0f records/CPU-s, %,9.0f records/s wall, CPU %.1f"
                                    + " s, wall %.1f s, GC %d (%d ms)%s%n",
                            input.id(),
                            run,
                            cost.perCpuSecond(records),
                            cost.perWallSecond(records),
                            cost.cpuNanos() / 1e9,
                            cost.wallNanos() / 1e9,
                            cost.gcCount(),
                            cost.gcMillis(),
                            perRow);
                }
            }
        } finally {
            cluster.close();
        }
    }

    private static JobGraph job(
            HistoryCatalog catalog,
            HistoryInput input,
            List<TopicRecord> pool,
            long events,
            int parallelism) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        DataStream<TopicRecord> records =
                env.fromSource(
                        new DataGeneratorSource<>(
                                new Looped(pool),
                                events,
                                RateLimiterStrategy.noOp(),
                                TypeInformation.of(TopicRecord.class)),
                        WatermarkStrategy.noWatermarks(),
                        input.id());
        IcebergSinkJob.appendTo(
                catalog,
                IcebergSinkTopology.build(Map.of(input, records), -1, "127.0.0.1"),
                "bench");
        return env.getStreamGraph().getJobGraph();
    }

    /** Per table the input feeds: rows and data-file bytes of its current snapshot. */
    private static Map<HistoryTable, long[]> totals(HistoryCatalog catalog, HistoryInput input)
            throws Exception {
        Map<HistoryTable, long[]> totals = new EnumMap<>(HistoryTable.class);
        Catalog tables = catalog.open();
        try {
            for (HistoryTable table : input.tables()) {
                Snapshot snapshot = tables.loadTable(table.identifier()).currentSnapshot();
                totals.put(
                        table,
                        snapshot == null
                                ? new long[] {0, 0}
                                : new long[] {
                                    Long.parseLong(
                                            snapshot.summary().getOrDefault("total-records", "0")),
                                    Long.parseLong(
                                            snapshot.summary()
                                                    .getOrDefault("total-files-size", "0"))
                                });
            }
        } finally {
            ((AutoCloseable) tables).close();
        }
        return totals;
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

    /**
     * Final KPI rows as the aggregator writes them to {@code kpi.history.v1}: {@code count} rows of
     * the service grain whose latency sketches hold {@code serviceEvents} values each, and as many
     * of the drill-down grain with {@code drilldownEvents} each (one tenant's minute on one
     * endpoint holds few requests).
     */
    static List<TopicRecord> finalRows(int count, int serviceEvents, int drilldownEvents) {
        Random random = new Random(14);
        List<TopicRecord> rows = new ArrayList<>(2 * count);
        long window = Instant.now().truncatedTo(ChronoUnit.MINUTES).toEpochMilli() - 3_600_000;
        for (int i = 0; i < 2 * count; i++) {
            boolean service = i % 2 == 0;
            Grain grain = service ? Grain.SERVICE : Grain.DRILLDOWN;
            int events = service ? serviceEvents : drilldownEvents;
            String[] dimensions =
                    service
                            ? new String[] {
                                "EMEA", "emea-west-1" + (char) ('a' + i % 3), "Sales Cloud",
                                "api", "/services/data/{version}/query-" + i % 18, "PREMIUM"
                            }
                            : new String[] {
                                "t" + Long.toHexString(random.nextLong()) + "00000000000000000000",
                                "/services/data/{version}/query-" + i % 18,
                                "EMEA",
                                "STANDARD"
                            };
            byte[][] sketches = new byte[MetricCatalog.DISTRIBUTIONS.size()][];
            List<Double> percentiles = new ArrayList<>();
            for (int d = 0; d < sketches.length; d++) {
                LatencySketch sketch = LatencySketch.empty();
                for (int e = 0; e < events; e++) {
                    sketch.add(Math.exp(3 + random.nextGaussian()));
                }
                sketches[d] = sketch.toTDigestBytes();
                for (double q : MetricCatalog.DISTRIBUTIONS.get(d).quantiles()) {
                    percentiles.add(sketch.quantile(q));
                }
            }
            long[] counters = new long[MetricCatalog.COUNTERS.size()];
            for (int c = 0; c < counters.length; c++) {
                counters[c] = random.nextInt(events + 1);
            }
            KpiRow row =
                    new KpiRow(
                            new KpiKey(
                                    grain.name(),
                                    window + 60_000L * (i / 1_000),
                                    String.join(String.valueOf(KpiKey.SEPARATOR), dimensions)),
                            3 + random.nextInt(5),
                            0,
                            Firing.FINAL,
                            counters,
                            sketches,
                            percentiles.stream().mapToDouble(Double::doubleValue).toArray(),
                            new double[3 * MetricCatalog.SATURATION.size()],
                            events,
                            window + 59_000,
                            window + 11 * 60_000);
            rows.add(
                    new TopicRecord(
                            "kpi.history.v1",
                            0,
                            i,
                            row.emittedAtMs(),
                            KpiRowJson.key(row.key()),
                            KpiRowJson.row(row),
                            0));
        }
        return List.copyOf(rows);
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
