package dev.servicehealth.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servicehealth.aggregator.HealthPipelineFixture;
import dev.servicehealth.model.DeadLetter;
import dev.servicehealth.model.EventCodec;
import dev.servicehealth.model.MetricSample;
import dev.servicehealth.model.Region;
import dev.servicehealth.model.RequestSource;
import dev.servicehealth.model.TenantTier;
import dev.servicehealth.model.catalog.CounterKpi;
import dev.servicehealth.model.catalog.Grain;
import dev.servicehealth.model.catalog.MetricCatalog;
import dev.servicehealth.model.catalog.PipelineMetric;
import dev.servicehealth.model.privacy.TenantKeyFile;
import dev.servicehealth.model.privacy.TenantTokenizer;
import dev.servicehealth.runtime.FlinkMetricsBridgeFactory;
import dev.servicehealth.simulator.GroundTruth;
import dev.servicehealth.simulator.LogicalRequest;
import dev.servicehealth.simulator.OracleKey;
import dev.servicehealth.simulator.RequestKey;
import dev.servicehealth.simulator.Scenario;
import dev.servicehealth.simulator.SimulatorConfig;
import dev.servicehealth.simulator.TopicNames;
import dev.servicehealth.simulator.TrafficSimulator;
import dev.servicehealth.simulator.WindowKpis;
import dev.servicehealth.testing.FailoverMiniCluster;
import dev.servicehealth.testing.FlinkJobProbe;
import dev.servicehealth.testing.SharedKafkaBroker;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history oracle test: simulator traffic (the EMEA auth outage, with retries, late and too-late
 * events and malformed lines) through the real normalizer, dedup job, aggregator and iceberg-sink
 * on a real broker and the real JDBC catalog (SQLite, file:// warehouse), a task manager killed
 * while the traffic streams in. Afterwards bronze holds every raw record once by topic, partition
 * and offset and every dead letter once; silver holds each distinct event of the ground truth once;
 * gold holds each final row the aggregator wrote once, equal to it and to the oracle.
 */
class IcebergSinkITCase {
    private static final int PARTITIONS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration QUIET = Duration.ofSeconds(15);

    @RegisterExtension static final SharedKafkaBroker KAFKA = new SharedKafkaBroker();

    /** Four jobs at parallelism 2; the Iceberg commit gauges and counters bridged to meters. */
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            FailoverMiniCluster.spreadOver(
                    2, 4, FlinkMetricsBridgeFactory.installInto(new Configuration()));

    @TempDir Path tmp;

    @BeforeAll
    static void countMeters() {
        Metrics.addRegistry(new SimpleMeterRegistry());
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void historyHoldsEverythingOnceAfterATaskManagerIsKilledMidStream(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        Path keyFile = tmp.resolve("tenant.key");
        TenantKeyFile.writeRandom(keyFile);
        TenantTokenizer tokenizer = TenantKeyFile.read(keyFile);
        HealthPipelineFixture.KpiTopics kpi =
                HealthPipelineFixture.KpiTopics.create(KAFKA, PARTITIONS);
        HealthPipelineFixture pipeline =
                HealthPipelineFixture.start(KAFKA, PARTITIONS, kpi, keyFile);
        HistoryCatalog catalog = HistoryCatalog.inDirectory("it", tmp);
        IcebergSinkJob.prepareTables(catalog, true);
        JobClient sink =
                IcebergSinkFixture.startFor(
                        KAFKA.bootstrapServers(),
                        catalog,
                        pipeline,
                        "it-history-" + pipeline.kpi().history());

        TrafficSimulator.Generation traffic =
                TrafficSimulator.generate(
                        SimulatorConfig.builder()
                                .seed(14L)
                                .scenario(Scenario.EMEA_AUTH_OUTAGE)
                                .start(
                                        Instant.now()
                                                .truncatedTo(ChronoUnit.MINUTES)
                                                .minus(Duration.ofMinutes(40)))
                                .duration(Duration.ofMinutes(20))
                                .eventsPerSecond(20)
                                .topics(pipeline.rawTopicNames())
                                .build());
        GroundTruth truth = traffic.groundTruth();
        pipeline.playKillingATaskManager(KAFKA, cluster, traffic.records());
        assertThat(FlinkJobProbe.restartedAnyTask(cluster, sink.getJobID()))
                .as("the iceberg-sink restarted")
                .isTrue();

        // what the jobs upstream wrote, read_committed, once the aggregator has finished: its
        // upserts have gone quiet, so every window is final and its final row written
        KAFKA.drainUntilQuiet(kpi.service(), QUIET, Duration.ofMinutes(2), true);
        List<ConsumerRecord<byte[], byte[]>> finalRows = drainAll(kpi.history());
        assertThat(finalRows.stream().filter(r -> grainOf(r) == Grain.SERVICE).count())
                .as("a final row of every row of the oracle")
                .isEqualTo(truth.kpiOracle().size());
        List<ConsumerRecord<byte[], byte[]>> tooLate = drainAll(kpi.tooLate());
        List<ConsumerRecord<byte[], byte[]>> deadLetters =
                drainAll(pipeline.normalized().deadLetters());
        List<ConsumerRecord<byte[], byte[]>> samples = drainAll(pipeline.dedup().metrics());
        List<ConsumerRecord<byte[], byte[]>> statuses = drainAll(pipeline.dedup().status());
        List<ConsumerRecord<byte[], byte[]>> raw = new ArrayList<>();
        TopicNames rawTopics = pipeline.rawTopicNames();
        for (String topic :
                List.of(
                        rawTopics.gateway(),
                        rawTopics.auth(),
                        rawTopics.metrics(),
                        rawTopics.status())) {
            raw.addAll(drainAll(topic));
        }
        assertThat(raw)
                .hasSize(traffic.records().size() + (int) pipeline.emptyRecordsAfterTheTraffic());

        Catalog tables = catalog.open();
        try {
            HistoryRows.awaitCommitted(tables, HistoryTable.RAW_RECORDS, raw.size());
            HistoryRows.awaitCommitted(tables, HistoryTable.DEAD_LETTERS, deadLetters.size());
            HistoryRows.awaitCommitted(
                    tables, HistoryTable.REQUESTS, truth.distinctRequests().size());
            HistoryRows.awaitCommitted(tables, HistoryTable.METRIC_SAMPLES, samples.size());
            HistoryRows.awaitCommitted(tables, HistoryTable.STATUS_EVENTS, statuses.size());
            HistoryRows.awaitCommitted(tables, HistoryTable.KPI_TOO_LATE, tooLate.size());
            for (Grain grain : Grain.values()) {
                HistoryRows.awaitCommitted(
                        tables,
                        HistoryTable.finalRowsOf(grain),
                        finalRows.stream().filter(r -> grainOf(r).equals(grain)).count());
            }
            // two more commits' time: nothing beyond the expected rows arrives
            Thread.sleep(3_000);

            assertBronze(tables, raw, deadLetters, truth, pipeline.emptyRecordsAfterTheTraffic());
            assertSilver(tables, truth, tokenizer, samples, statuses);
            assertGold(tables, finalRows, tooLate, truth);
            assertMeters(raw.size());
        } finally {
            sink.cancel().get();
            pipeline.close();
            if (tables instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }

        // the daily batch, once the streaming jobs have given their slots back; twice
        assertDailyUsage(catalog, truth, tokenizer);
    }

    /**
     * The daily usage of each day of the traffic equals a direct computation from the ground
     * truth's distinct gateway requests, and a second run of a day replaces it: nothing doubles.
     */
    private static void assertDailyUsage(
            HistoryCatalog catalog, GroundTruth truth, TenantTokenizer tokenizer) throws Exception {
        Map<List<Object>, long[]> expected = new HashMap<>();
        Map<List<Object>, Long> perMinute = new HashMap<>();
        Set<LocalDate> days = new TreeSet<>();
        for (LogicalRequest request : truth.distinctRequests().values()) {
            if (request.source() != RequestSource.GATEWAY) {
                continue;
            }
            LocalDate day =
                    Instant.ofEpochMilli(request.eventTimeMs())
                            .atZone(ZoneOffset.UTC)
                            .toLocalDate();
            days.add(day);
            List<Object> key =
                    List.of(
                            day.toString(),
                            tokenizer.token(request.tenantId()),
                            request.region().name());
            long[] usage = expected.computeIfAbsent(key, k -> new long[4]);
            int status = request.httpStatus();
            usage[0]++;
            usage[1] += status >= 100 && status < 500 && status != 429 ? 1 : 0;
            usage[2] += request.bytesOut();
            List<Object> minute = new ArrayList<>(key);
            minute.add(request.eventTimeMs() / 60_000);
            usage[3] = Math.max(usage[3], perMinute.merge(minute, 1L, Long::sum));
        }
        for (int run = 0; run < 2; run++) {
            for (LocalDate day : days) {
                StreamExecutionEnvironment env =
                        StreamExecutionEnvironment.getExecutionEnvironment();
                TenantUsageJob.defineWorkflow(env, catalog, day);
                env.execute("tenant-usage-" + day + "-run-" + run);
            }
            Catalog tables = catalog.open();
            try {
                Map<List<Object>, long[]> usage = new HashMap<>();
                for (Record row :
                        HistoryRows.read(
                                tables.loadTable(HistoryTable.TENANT_USAGE_DAILY.identifier()))) {
                    List<Object> key =
                            List.of(
                                    ((OffsetDateTime) row.getField("usage_day"))
                                            .toLocalDate()
                                            .toString(),
                                    row.getField("tenant_token"),
                                    row.getField("region"));
                    long[] values = {
                        (Long) row.getField("requests"),
                        (Long) row.getField("successes"),
                        (Long) row.getField("bytes_out"),
                        (Long) row.getField("peak_requests_per_minute")
                    };
                    assertThat(usage.put(key, values)).as("a second row of %s", key).isNull();
                }
                assertThat(usage.keySet()).as("run %d", run).isEqualTo(expected.keySet());
                for (Map.Entry<List<Object>, long[]> key : expected.entrySet()) {
                    assertThat(usage.get(key.getKey()))
                            .as(
                                    "requests, successes, bytes out, peak per minute of %s",
                                    key.getKey())
                            .containsExactly(key.getValue());
                }
            } finally {
                ((AutoCloseable) tables).close();
            }
        }
    }

    /** Meters of a running sink: the writer's own, and Iceberg's commit counters bridged. */
    private static void assertMeters(int rawRecords) {
        assertThat(rowsOut(HistoryTable.RAW_RECORDS))
                .as("rows handed to the bronze writer, restored ones again")
                .isGreaterThanOrEqualTo(rawRecords);
        assertThat(
                        Metrics.globalRegistry
                                .find(PipelineMetric.HISTORY_COMMITTED_RECORDS.meterName())
                                .functionCounters())
                .as("Iceberg's commit counters, bridged")
                .isNotEmpty()
                .anySatisfy(c -> assertThat(c.count()).isPositive());
    }

    private static void assertBronze(
            Catalog tables,
            List<ConsumerRecord<byte[], byte[]>> raw,
            List<ConsumerRecord<byte[], byte[]>> deadLetters,
            GroundTruth truth,
            long emptyRecords) {
        List<String> bronze =
                HistoryRows.read(tables.loadTable(HistoryTable.RAW_RECORDS.identifier())).stream()
                        .map(
                                r ->
                                        r.getField("source")
                                                + "-"
                                                + r.getField("kafka_partition")
                                                + "@"
                                                + r.getField("kafka_offset"))
                        .toList();
        assertThat(bronze).doesNotHaveDuplicates();
        assertThat(bronze)
                .containsExactlyInAnyOrderElementsOf(
                        raw.stream()
                                .map(r -> r.topic() + "-" + r.partition() + "@" + r.offset())
                                .toList());

        List<String> letters =
                HistoryRows.read(tables.loadTable(HistoryTable.DEAD_LETTERS.identifier())).stream()
                        .map(
                                r ->
                                        r.getField("source")
                                                + "-"
                                                + r.getField("source_partition")
                                                + "@"
                                                + r.getField("source_offset")
                                                + "/"
                                                + r.getField("reason"))
                        .toList();
        assertThat(letters).doesNotHaveDuplicates();
        assertThat(letters)
                .containsExactlyInAnyOrderElementsOf(
                        deadLetters.stream()
                                .map(r -> EventCodec.decodeDeadLetter(r.value()))
                                .map(DeadLetter::key)
                                .toList());
        assertThat(letters).hasSize((int) (truth.expectedDeadLetterTotal() + emptyRecords));
    }

    private static void assertSilver(
            Catalog tables,
            GroundTruth truth,
            TenantTokenizer tokenizer,
            List<ConsumerRecord<byte[], byte[]>> samples,
            List<ConsumerRecord<byte[], byte[]>> statuses) {
        Map<RequestKey, Record> requests = new HashMap<>();
        for (Record row : HistoryRows.read(tables.loadTable(HistoryTable.REQUESTS.identifier()))) {
            RequestKey key =
                    new RequestKey(
                            RequestSource.valueOf((String) row.getField("source")),
                            (String) row.getField("request_id"));
            assertThat(requests.put(key, row)).as("a second row of %s", key).isNull();
        }
        assertThat(requests.keySet())
                .as("each distinct request of the ground truth once")
                .isEqualTo(truth.distinctRequests().keySet());
        for (LogicalRequest expected : truth.distinctRequests().values()) {
            Record row = requests.get(expected.key());
            assertThat(row.getField("tenant_token"))
                    .isEqualTo(tokenizer.token(expected.tenantId()));
            assertThat(row.getField("region")).isEqualTo(expected.region().name());
            assertThat(row.getField("endpoint")).isEqualTo(expected.endpoint());
            assertThat(row.getField("bytes_out")).isEqualTo(expected.bytesOut());
            assertThat(millis(row.getField("event_time"))).isEqualTo(expected.eventTimeMs());
            if (expected.source() == RequestSource.GATEWAY) {
                assertThat(row.getField("http_status")).isEqualTo(expected.httpStatus());
            }
        }

        List<String> sampleKeys =
                HistoryRows.read(tables.loadTable(HistoryTable.METRIC_SAMPLES.identifier()))
                        .stream()
                        .map(
                                r ->
                                        r.getField("series_key")
                                                + "@"
                                                + millis(r.getField("sample_time")))
                        .toList();
        assertThat(sampleKeys).doesNotHaveDuplicates();
        assertThat(sampleKeys)
                .containsExactlyInAnyOrderElementsOf(
                        samples.stream()
                                .map(r -> EventCodec.decodeMetric(r.value()))
                                .map(MetricSample::dedupKey)
                                .toList());

        List<Object> statusIds =
                HistoryRows.read(tables.loadTable(HistoryTable.STATUS_EVENTS.identifier())).stream()
                        .map(r -> r.getField("event_id"))
                        .toList();
        assertThat(statusIds).doesNotHaveDuplicates();
        assertThat(statusIds)
                .containsExactlyInAnyOrderElementsOf(
                        statuses.stream()
                                .map(r -> (Object) EventCodec.decodeStatus(r.value()).eventId())
                                .toList());
    }

    private static void assertGold(
            Catalog tables,
            List<ConsumerRecord<byte[], byte[]>> finalRows,
            List<ConsumerRecord<byte[], byte[]>> tooLate,
            GroundTruth truth) {
        for (Grain grain : Grain.values()) {
            HistoryTable table = HistoryTable.finalRowsOf(grain);
            List<String> columns = table.schema().columns().stream().map(c -> c.name()).toList();
            Map<List<Object>, List<Object>> gold = new HashMap<>();
            for (Record row : HistoryRows.read(tables.loadTable(table.identifier()))) {
                assertThat(gold.put(key(row, grain), values(row, columns)))
                        .as("a second %s row of %s", grain, key(row, grain))
                        .isNull();
            }
            Map<List<Object>, List<Object>> written = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : finalRows) {
                JsonNode json = json(record);
                if (grainOf(record) == grain) {
                    written.put(key(json, grain), values(json, columns));
                }
            }
            assertThat(gold)
                    .as("gold %s equals the aggregator's final rows", grain)
                    .isEqualTo(written);
        }

        Map<OracleKey, WindowKpis> oracle = truth.kpiOracle();
        Map<OracleKey, Record> service = new HashMap<>();
        for (Record row :
                HistoryRows.read(tables.loadTable(HistoryTable.KPI_SERVICE.identifier()))) {
            service.put(
                    new OracleKey(
                            millis(row.getField("window_start")),
                            Region.valueOf((String) row.getField("region")),
                            (String) row.getField("availability_zone"),
                            (String) row.getField("product"),
                            (String) row.getField("service"),
                            (String) row.getField("endpoint"),
                            TenantTier.valueOf((String) row.getField("tenant_tier"))),
                    row);
        }
        assertThat(service.keySet())
                .as("gold service rows are the oracle's rows")
                .isEqualTo(oracle.keySet());
        for (Map.Entry<OracleKey, WindowKpis> expected : oracle.entrySet()) {
            for (CounterKpi counter : MetricCatalog.COUNTERS) {
                assertThat(service.get(expected.getKey()).getField(counter.name()))
                        .as("%s of %s", counter.name(), expected.getKey())
                        .isEqualTo(expected.getValue().counter(counter));
            }
        }

        List<Record> tooLateRows =
                HistoryRows.read(tables.loadTable(HistoryTable.KPI_TOO_LATE.identifier()));
        assertThat(tooLateRows).hasSize(tooLate.size());
        long beyondBound =
                truth.beyondBoundByWindow().values().stream().mapToLong(Long::longValue).sum();
        assertThat(
                        tooLateRows.stream()
                                .filter(r -> r.getField("grain").equals("service"))
                                .mapToLong(r -> (Long) r.getField("events"))
                                .sum())
                .as("too-late events of the service grain")
                .isEqualTo(beyondBound);
    }

    private static Grain grainOf(ConsumerRecord<byte[], byte[]> record) {
        return Grain.valueOf(json(record).get("grain").asText().toUpperCase(Locale.ROOT));
    }

    /** The row key: window start and the grain's dimensions. */
    private static List<Object> key(Record row, Grain grain) {
        List<Object> key = new ArrayList<>();
        key.add(millis(row.getField("window_start")));
        for (String dimension : grain.dimensions().subList(1, grain.dimensions().size())) {
            key.add(row.getField(dimension));
        }
        return key;
    }

    private static List<Object> key(JsonNode json, Grain grain) {
        List<Object> key = new ArrayList<>();
        key.add(json.get("window_start").asLong());
        for (String dimension : grain.dimensions().subList(1, grain.dimensions().size())) {
            key.add(json.get(dimension).asText());
        }
        return key;
    }

    /** Every column as comparable values: times in ms, sketches as hex, numbers as written. */
    private static List<Object> values(Record row, List<String> columns) {
        List<Object> values = new ArrayList<>();
        for (String column : columns) {
            Object value = row.getField(column);
            if (value instanceof OffsetDateTime time) {
                value = time.toInstant().toEpochMilli();
            } else if (value instanceof ByteBuffer bytes) {
                byte[] copy = new byte[bytes.remaining()];
                bytes.duplicate().get(copy);
                value = HexFormat.of().formatHex(copy);
            } else if (value instanceof Long || value instanceof Integer) {
                value = ((Number) value).longValue();
            }
            values.add(value);
        }
        return values;
    }

    private static List<Object> values(JsonNode json, List<String> columns) {
        List<Object> values = new ArrayList<>();
        for (String column : columns) {
            JsonNode value = json.get(column);
            if (value == null || value.isNull()) {
                values.add(null);
            } else if (value.isIntegralNumber()) {
                values.add(value.asLong());
            } else if (value.isNumber()) {
                values.add(value.asDouble());
            } else {
                values.add(value.asText());
            }
        }
        return values;
    }

    private static long millis(Object time) {
        return ((OffsetDateTime) time).toInstant().toEpochMilli();
    }

    private static JsonNode json(ConsumerRecord<byte[], byte[]> record) {
        try {
            return JSON.readTree(record.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> drainAll(String topic) {
        return KAFKA.drainUntilQuiet(topic, Duration.ofSeconds(3), Duration.ofMinutes(1), true);
    }

    private static double rowsOut(HistoryTable table) {
        return Metrics.globalRegistry
                .find(PipelineMetric.HISTORY_ROWS_OUT.meterName())
                .tag("table", table.identifier().toString())
                .counters()
                .stream()
                .mapToDouble(c -> c.count())
                .sum();
    }
}
