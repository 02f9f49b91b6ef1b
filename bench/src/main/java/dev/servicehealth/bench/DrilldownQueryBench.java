package dev.servicehealth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servicehealth.aggregator.kafka.KpiRowJson;
import dev.servicehealth.localkafka.KafkaBroker;
import dev.servicehealth.localpinot.PinotCluster;
import dev.servicehealth.serving.IncidentQuery;
import dev.servicehealth.serving.KpiTable;
import dev.servicehealth.serving.PinotBroker;
import dev.servicehealth.serving.PinotController;
import dev.servicehealth.serving.QueryResult;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The on-call drill-down ({@link IncidentQuery#TENANT_DRILLDOWN}: one tenant × endpoint, the last
 * 15 minutes, per minute, P50/P95/P99 merged from sketches) against a real Pinot holding a
 * production-sized {@code drilldown_kpi}: millions of rows as the aggregator writes them, most of
 * them in committed segments (sorted by tenant token, bloom-filtered), the newest in consuming
 * ones, as in production.
 *
 * <pre>
 *   DrilldownRows ──► Kafka (4 partitions) ──► Pinot drilldown_kpi (the deployed table config,
 *                                              segments cut every --segment-rows per partition)
 *                                              ▲
 *   TENANT_DRILLDOWN for the busiest pairs and for random ones, timed at the client
 * </pre>
 *
 * <p>Every answer is checked against what was written (the pair's requests over the 15 minutes), so
 * a fast wrong answer fails the run. Ingest is not running while the queries are timed.
 */
public final class DrilldownQueryBench {
    private static final String TOPIC = "kpi.drilldown.bench";
    private static final int PARTITIONS = 4;
    private static final int RECENT_MINUTES = 15;
    private static final int WARM_UP_QUERIES = 20;

    private DrilldownQueryBench() {}

    record Options(
            int rowsPerMinute,
            int minutes,
            int tenants,
            int endpoints,
            int segmentRows,
            int randomPairs,
            int rounds,
            int pinotHeapMb,
            Path workDir) {
        static Options parse(String[] args) {
            int rowsPerMinute = 50_000;
            int minutes = 60;
            int tenants = 20_000;
            int endpoints = 40;
            int segmentRows = 250_000;
            int randomPairs = 200;
            int rounds = 3;
            int pinotHeapMb = 3_072;
            Path workDir = Path.of("local-run-data", "drilldown-bench");
            for (int i = 0; i + 1 < args.length; i += 2) {
                String value = args[i + 1];
                switch (args[i]) {
                    case "--rows-per-minute" -> rowsPerMinute = Integer.parseInt(value);
                    case "--minutes" -> minutes = Integer.parseInt(value);
                    case "--tenants" -> tenants = Integer.parseInt(value);
                    case "--endpoints" -> endpoints = Integer.parseInt(value);
                    case "--segment-rows" -> segmentRows = Integer.parseInt(value);
                    case "--random-pairs" -> randomPairs = Integer.parseInt(value);
                    case "--rounds" -> rounds = Integer.parseInt(value);
                    case "--pinot-heap-mb" -> pinotHeapMb = Integer.parseInt(value);
                    case "--work-dir" -> workDir = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (args.length % 2 != 0) {
                throw new IllegalArgumentException("options come in pairs: --name value");
            }
            if (minutes < RECENT_MINUTES) {
                throw new IllegalArgumentException("--minutes must cover the 15 queried");
            }
            return new Options(
                    rowsPerMinute,
                    minutes,
                    tenants,
                    endpoints,
                    segmentRows,
                    randomPairs,
                    rounds,
                    pinotHeapMb,
                    workDir);
        }
    }

    /** Latencies of one kind of query, in milliseconds. */
    record Timings(String name, double[] clientMs, double[] pinotMs, double[] docsScanned) {
        String describe() {
            return String.format(
                    Locale.ROOT,
                    "%-8s %4d queries  client P50 %.1f  P95 %.1f  P99 %.1f  max %.1f ms"
                            + "  | Pinot timeUsedMs P50 %.0f  P95 %.0f  | docs scanned P50 %.0f",
                    name,
                    clientMs.length,
                    percentile(clientMs, 0.50),
                    percentile(clientMs, 0.95),
                    percentile(clientMs, 0.99),
                    percentile(clientMs, 1.0),
                    percentile(pinotMs, 0.50),
                    percentile(pinotMs, 0.95),
                    percentile(docsScanned, 0.50));
        }
    }

    /** What one run measured. */
    record Result(
            long rows,
            long rowsInPinot,
            Map<String, Integer> segmentStates,
            double writeSeconds,
            double ingestSeconds,
            Timings busiest,
            Timings random) {
        String describe() {
            return String.format(
                    Locale.ROOT,
                    "drilldown_kpi: %,d rows (%,d in Pinot), segments %s%n"
                            + "written to Kafka in %.0f s, consumed and committed by Pinot in %.0f s"
                            + " (%,.0f rows/s)%n%s%n%s",
                    rows,
                    rowsInPinot,
                    segmentStates,
                    writeSeconds,
                    ingestSeconds,
                    rowsInPinot / ingestSeconds,
                    busiest.describe(),
                    random.describe());
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        System.out.println(options);
        System.out.println(run(options).describe());
    }

    static Result run(Options options) throws IOException {
        Files.createDirectories(options.workDir());
        try (KafkaBroker kafka = KafkaBroker.start(options.workDir().resolve("kafka"));
                PinotCluster pinot =
                        PinotCluster.start(
                                options.workDir().resolve("pinot"), options.pinotHeapMb())) {
            kafka.createTopics(PARTITIONS, TOPIC);
            long lastMinute = Math.floorDiv(System.currentTimeMillis(), 60_000L) * 60_000L;
            DrilldownRows rows =
                    new DrilldownRows(
                            options.tenants(),
                            options.endpoints(),
                            options.rowsPerMinute(),
                            options.minutes(),
                            lastMinute,
                            RECENT_MINUTES,
                            20261122L);
            long writeStart = System.nanoTime();
            long written = write(kafka.bootstrapServers(), rows);
            double writeSeconds = (System.nanoTime() - writeStart) / 1e9;
            System.out.printf(Locale.ROOT, "wrote %,d rows in %.0f s%n", written, writeSeconds);

            PinotController controller = new PinotController(pinot.controller());
            PinotBroker broker = new PinotBroker(pinot.broker(), Duration.ofSeconds(30));
            long ingestStart = System.nanoTime();
            controller.putSchema(KpiTable.DRILLDOWN.schema());
            controller.addTable(tableConfig(kafka.bootstrapServers(), options.segmentRows()));
            long inPinot = awaitRows(broker, written, Duration.ofMinutes(30));
            double ingestSeconds = (System.nanoTime() - ingestStart) / 1e9;
            Map<String, Integer> states = controller.segmentStates(KpiTable.DRILLDOWN.tableName());
            System.out.printf(
                    Locale.ROOT,
                    "Pinot holds %,d rows after %.0f s, segments %s%n",
                    inPinot,
                    ingestSeconds,
                    states);

            long to = lastMinute + 60_000L;
            long from = to - RECENT_MINUTES * 60_000L;
            List<DrilldownRows.Pair> byRows = rows.recentPairsByRows();
            List<DrilldownRows.Pair> busiest = byRows.subList(0, Math.min(20, byRows.size()));
            List<DrilldownRows.Pair> random = new ArrayList<>();
            SplittableRandom dice = new SplittableRandom(7);
            for (int i = 0; i < options.randomPairs(); i++) {
                random.add(byRows.get(dice.nextInt(byRows.size())));
            }
            time(
                    broker,
                    busiest.subList(0, Math.min(WARM_UP_QUERIES, busiest.size())),
                    1,
                    rows,
                    from,
                    to,
                    "warm-up");
            Timings busiestTimings =
                    time(broker, busiest, options.rounds() * 10, rows, from, to, "busiest");
            Timings randomTimings =
                    time(broker, random, options.rounds(), rows, from, to, "random");
            return new Result(
                    written,
                    inPinot,
                    states,
                    writeSeconds,
                    ingestSeconds,
                    busiestTimings,
                    randomTimings);
        }
    }

    /** The deployed drill-down table config, with segments cut after {@code segmentRows}. */
    private static ObjectNode tableConfig(String bootstrapServers, int segmentRows) {
        ObjectNode config = KpiTable.DRILLDOWN.tableConfig(bootstrapServers, TOPIC, 1);
        ObjectNode stream = (ObjectNode) config.path("tableIndexConfig").path("streamConfigs");
        stream.put("realtime.segment.flush.threshold.rows", Integer.toString(segmentRows));
        return config;
    }

    private static long write(String bootstrapServers, DrilldownRows rows) {
        Map<String, Object> config =
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.LINGER_MS_CONFIG,
                        20,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        512 * 1024,
                        ProducerConfig.COMPRESSION_TYPE_CONFIG,
                        "lz4");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            long count =
                    rows.write(
                            row ->
                                    producer.send(
                                            new ProducerRecord<>(
                                                    TOPIC,
                                                    KpiRowJson.key(row.key()),
                                                    KpiRowJson.row(row))));
            producer.flush();
            return count;
        }
    }

    private static long awaitRows(PinotBroker broker, long expected, Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long seen = 0;
        while (System.nanoTime() < deadline) {
            // no rows at all until the first segment is created
            List<List<JsonNode>> count = broker.query("SELECT COUNT(*) FROM drilldown_kpi").rows();
            seen = count.isEmpty() ? 0 : count.get(0).get(0).asLong();
            if (seen >= expected) {
                return seen;
            }
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while Pinot consumed");
            }
        }
        throw new IOException("Pinot holds " + seen + " of " + expected + " rows after " + timeout);
    }

    private static Timings time(
            PinotBroker broker,
            List<DrilldownRows.Pair> pairs,
            int rounds,
            DrilldownRows rows,
            long from,
            long to,
            String name)
            throws IOException {
        int n = pairs.size() * rounds;
        double[] clientMs = new double[n];
        double[] pinotMs = new double[n];
        double[] docs = new double[n];
        int i = 0;
        for (int round = 0; round < rounds; round++) {
            for (DrilldownRows.Pair pair : pairs) {
                String sql =
                        IncidentQuery.TENANT_DRILLDOWN.sql(
                                Map.of(
                                        "tenant_token",
                                        pair.tenantToken(),
                                        "endpoint",
                                        pair.endpoint(),
                                        "from",
                                        from,
                                        "to",
                                        to));
                long start = System.nanoTime();
                QueryResult result = broker.query(sql);
                clientMs[i] = (System.nanoTime() - start) / 1e6;
                pinotMs[i] = result.timeUsedMs();
                docs[i] = result.docsScanned();
                long requests = 0;
                for (int r = 0; r < result.rows().size(); r++) {
                    requests += result.value(r, "requests").asLong();
                }
                long expected = rows.recentRequests().get(pair);
                if (requests != expected) {
                    throw new IllegalStateException(
                            pair
                                    + ": Pinot answered "
                                    + requests
                                    + " requests, written "
                                    + expected);
                }
                i++;
            }
        }
        return new Timings(name, clientMs, pinotMs, docs);
    }

    static double percentile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
