package dev.servicehealth.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.model.DeadLetter;
import dev.servicehealth.model.DeadLetterReason;
import dev.servicehealth.model.EventCodec;
import dev.servicehealth.model.EventKind;
import dev.servicehealth.model.MetricSample;
import dev.servicehealth.model.Region;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.StatusEvent;
import dev.servicehealth.model.StatusKind;
import dev.servicehealth.model.TenantTier;
import dev.servicehealth.model.privacy.TenantKeyFile;
import dev.servicehealth.model.privacy.TenantTokenizer;
import dev.servicehealth.model.remotewrite.PromSample;
import dev.servicehealth.model.remotewrite.PromSeries;
import dev.servicehealth.model.remotewrite.RemoteWriteCodec;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawRecordNormalizerTest {
    /** A whole second, an hour ago: the normalizer refuses events from the future. */
    private static final long T =
            Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS).toEpochMilli();

    /** Small, so that the guard's limit is reached with a handful of paths. */
    private static final int MAX_NEW_ENDPOINTS_PER_MINUTE = 3;

    private static final Map<String, SourceKind> TOPICS =
            Map.of(
                    "gw", SourceKind.GATEWAY,
                    "auth", SourceKind.AUTH,
                    "metrics", SourceKind.METRICS,
                    "status", SourceKind.STATUS);

    @TempDir Path tmp;

    private byte[] key;
    private SimpleMeterRegistry meters;
    private OneInputStreamOperatorTestHarness<RawRecord, NormalizedRecord> harness;
    private long offset;

    @BeforeEach
    void open() throws Exception {
        Path keyFile = tmp.resolve("tenant.key");
        key = TenantKeyFile.writeRandom(keyFile);
        meters = new SimpleMeterRegistry();
        Metrics.addRegistry(meters);
        harness = harness(60_000);
        harness.open();
    }

    private OneInputStreamOperatorTestHarness<RawRecord, NormalizedRecord> harness(
            long driftReportIntervalMs) throws Exception {
        return harness(driftReportIntervalMs, NormalizerSettings.IngestClock.WALL_CLOCK);
    }

    private OneInputStreamOperatorTestHarness<RawRecord, NormalizedRecord> harness(
            long driftReportIntervalMs, NormalizerSettings.IngestClock clock) throws Exception {
        NormalizerSettings settings =
                new NormalizerSettings(
                        null,
                        null,
                        null,
                        tmp.resolve("tenant.key").toString(),
                        64 * 1024,
                        300_000,
                        MAX_NEW_ENDPOINTS_PER_MINUTE,
                        driftReportIntervalMs,
                        10_000,
                        30_000,
                        -1,
                        "127.0.0.1",
                        clock);
        return new OneInputStreamOperatorTestHarness<>(
                new NormalizeOperator(new RawRecordNormalizer(TOPICS, settings)));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
        Metrics.removeRegistry(meters);
        meters.close();
    }

    private void send(String topic, byte[] value) throws Exception {
        harness.processElement(
                new StreamRecord<>(
                        new RawRecord(topic, 3, offset++, T + 5, "node-1".getBytes(), value)));
    }

    private void send(String topic, String json) throws Exception {
        send(topic, json.getBytes(StandardCharsets.UTF_8));
    }

    private List<NormalizedRecord> events() {
        return harness.extractOutputValues();
    }

    private List<DeadLetter> deadLetters() {
        return harness.getSideOutput(RawRecordNormalizer.DEAD_LETTERS).stream()
                .map(StreamRecord::getValue)
                .toList();
    }

    private double deadLetterCount(String source, DeadLetterReason reason) {
        return meters.get("normalizer.dead.letters")
                .tag("source", source)
                .tag("reason", reason.code())
                .counter()
                .count();
    }

    @Test
    void normalizesGatewayLineWithTierTemplateAndToken() throws Exception {
        send(
                "gw",
                "{\"request_id\":\"r-1\",\"tenant_id\":\"ACME\",\"region\":\"emea\",\"az\":\"emea-west-1a\","
                        + "\"endpoint\":\"/services/apexrest/cases/5003000000D8cuI?fields=all\","
                        + "\"http_status\":503,\"latency_ms\":\"87.5\",\"bytes_out\":512,"
                        + "\"timestamp\":"
                        + T
                        + ",\"gateway_node\":\"gw-7\"}");

        assertThat(events()).hasSize(1);
        NormalizedRecord record = events().get(0);
        assertThat(record.kind()).isEqualTo(EventKind.REQUEST);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("GATEWAY:r-1");
        assertThat(record.clockMs())
                .as("the raw partition's watermark: its Kafka timestamp less the out-of-orderness")
                .isEqualTo(T + 5 - 10_000 - 1);
        RequestEvent event = EventCodec.decodeRequest(record.value());
        assertThat(event.tenantToken()).isEqualTo(new TenantTokenizer(key).token("ACME"));
        assertThat(event.tenantTier()).isEqualTo(TenantTier.PREMIUM);
        assertThat(event.region()).isEqualTo(Region.EMEA);
        assertThat(event.endpoint()).isEqualTo("/services/apexrest/cases/{id}");
        assertThat(event.product()).isEqualTo("Service Cloud");
        assertThat(event.service()).isEqualTo("case-management");
        assertThat(event.httpStatus()).isEqualTo(503);
        assertThat(event.latencyMs()).isEqualTo(87.5);
        assertThat(new String(record.value(), StandardCharsets.ISO_8859_1)).doesNotContain("ACME");
        assertThat(
                        meters.get("normalizer.unknown.fields")
                                .tag("source", "gateway")
                                .counter()
                                .count())
                .isEqualTo(1);
        assertThat(
                        meters.get("normalizer.coerced.fields")
                                .tag("source", "gateway")
                                .counter()
                                .count())
                .isEqualTo(1);
    }

    /**
     * Each event carries its raw partition's clock as of its record: the newest Kafka timestamp of
     * that partition so far less the out-of-orderness (10 s) and 1 ms, as Flink's watermark of the
     * split; a record older than that newest does not set the clock back, and a restored subtask
     * stamps as the one before the checkpoint would have.
     */
    @Test
    void stampsEachEventWithItsRawPartitionsClockAcrossARestore() throws Exception {
        String line =
                "{\"request_id\":\"r-%d\",\"tenant_id\":\"ACME\",\"region\":\"NA\","
                        + "\"endpoint\":\"/services/oauth2/token\",\"http_status\":200,"
                        + "\"timestamp\":"
                        + T
                        + "}";
        harness.processElement(rawAt(3, T + 60_000, line.formatted(1)));
        harness.processElement(rawAt(3, T + 55_000, line.formatted(2)));
        harness.processElement(rawAt(4, T + 20_000, line.formatted(3)));
        assertThat(events())
                .extracting(NormalizedRecord::clockMs)
                .containsExactly(T + 60_000 - 10_001, T + 60_000 - 10_001, T + 20_000 - 10_001);
        assertThat(events()).extracting(NormalizedRecord::eventTimeMs).containsOnly(T);

        harness.processElement(rawAt(5, T + 12 * 60_000, line.formatted(5)));
        assertThat(
                        meters.get("normalizer.too.late.events")
                                .tag("topic", "gw")
                                .tag("partition", "5")
                                .counter()
                                .count())
                .as("its partition's clock had passed the window's end plus 10 minutes")
                .isEqualTo(1);
        assertThat(meters.get("normalizer.too.late.events").tag("partition", "3").counter().count())
                .isZero();

        var snapshot = harness.snapshot(1, 1);
        try (var restored = harness(60_000)) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(rawAt(3, T + 58_000, line.formatted(4)));
            assertThat(restored.extractOutputValues())
                    .extracting(NormalizedRecord::clockMs)
                    .containsExactly(T + 60_000 - 10_001);
        }
    }

    private StreamRecord<RawRecord> rawAt(int partition, long timestampMs, String json) {
        return new StreamRecord<>(
                new RawRecord(
                        "gw",
                        partition,
                        offset++,
                        timestampMs,
                        null,
                        json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void reportsTheDriftCountedBeforeACheckpointAfterTheRestore() throws Exception {
        String renamed =
                "{\"requestId\":\"r-%d\",\"tenant_id\":\"ACME\",\"region\":\"NA\","
                        + "\"endpoint\":\"/services/oauth2/token\",\"status\":200,\"ts\":"
                        + T
                        + "}";
        send("gw", renamed.formatted(1));
        send("gw", renamed.formatted(2));
        var snapshot = harness.snapshot(1, 1);
        assertThat(harness.getSideOutput(RawRecordNormalizer.SCHEMA_DRIFT))
                .as("not reported before its interval")
                .isNull();

        try (var restored = harness(1)) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(
                    new StreamRecord<>(
                            new RawRecord(
                                    "gw", 3, 10, T + 5, null, renamed.formatted(3).getBytes())));
            restored.processElement(
                    new StreamRecord<>(
                            new RawRecord(
                                    "gw", 3, 11, T + 5, null, renamed.formatted(4).getBytes())));
            // the operator's ticks: the first starts the report interval, the second reports
            restored.setProcessingTime(1_000);
            restored.setProcessingTime(2_000);

            assertThat(restored.getSideOutput(RawRecordNormalizer.SCHEMA_DRIFT))
                    .extracting(StreamRecord::getValue)
                    .filteredOn(d -> d.name().equals("requestId → request_id"))
                    .extracting(SchemaDrift::count)
                    .as("the two lines before the checkpoint and the two after, once each")
                    .containsExactly(4L);
        }
    }

    @Test
    void foldsNewEndpointsBeyondTheLimitOfTheMinuteIntoOtherAndCountsThem() throws Exception {
        long minute = T - T % 60_000;
        List<String> paths =
                List.of("/api/a/1", "/api/b/2", "/api/c/3", "/api/d/4", "/api/a/5", "/api/e/6");
        for (String path : paths) {
            send("gw", gatewayLine(path, minute + 1_000));
        }
        send("gw", gatewayLine("/api/f/7", minute + 60_000));
        send("gw", gatewayLine("/services/data/v60.0/query", minute + 2_000));

        assertThat(events())
                .extracting(e -> EventCodec.decodeRequest(e.value()).endpoint())
                .containsExactly(
                        "/api/a/{id}",
                        "/api/b/{id}",
                        "/api/c/{id}",
                        "other",
                        "/api/a/{id}",
                        "other",
                        "/api/f/{id}",
                        "/services/data/v60/query");
        assertThat(
                        meters.get("normalizer.folded.endpoints")
                                .tag("source", "gateway")
                                .counter()
                                .count())
                .as("the excess of the first minute")
                .isEqualTo(2);
        assertThat(
                        meters.get("normalizer.unmapped.endpoints")
                                .tag("source", "gateway")
                                .counter()
                                .count())
                .as("every path outside the catalog, folded or not")
                .isEqualTo(7);
    }

    private static String gatewayLine(String path, long timestamp) {
        return "{\"request_id\":\"r-"
                + path.hashCode()
                + timestamp
                + "\",\"tenant_id\":\"ACME\",\"region\":\"NA\",\"endpoint\":\""
                + path
                + "\",\"status\":200,\"ts\":"
                + timestamp
                + "}";
    }

    @Test
    void keepsUnknownTenantsAndEndpointsCountingThem() throws Exception {
        send(
                "gw",
                "{\"request_id\":\"r-2\",\"tenant_id\":\"NEWCO\",\"region\":\"NA\","
                        + "\"endpoint\":\"/not/in/catalog\",\"status\":200,\"ts\":"
                        + T
                        + "}");
        RequestEvent event = EventCodec.decodeRequest(events().get(0).value());
        assertThat(event.tenantTier()).isEqualTo(TenantTier.UNKNOWN);
        assertThat(event.endpoint()).isEqualTo("/not/in/catalog");
        assertThat(event.service()).isEqualTo("unmapped");
        assertThat(event.product()).isEqualTo("unmapped");
        assertThat(
                        meters.get("normalizer.unknown.tenants")
                                .tag("source", "gateway")
                                .counter()
                                .count())
                .isEqualTo(1);
        assertThat(
                        meters.get("normalizer.unmapped.endpoints")
                                .tag("source", "gateway")
                                .counter()
                                .count())
                .isEqualTo(1);
    }

    @Test
    void normalizesAuthLineWithOutcomeAndMintLatency() throws Exception {
        send(
                "auth",
                "{\"req_id\":\"r-3\",\"tenant\":\"GLOBEX\",\"region\":\"EMEA\",\"op\":\"token_mint\","
                        + "\"outcome\":\"dependency_error\",\"mint_latency_ms\":1200,"
                        + "\"dependency\":\"ldap\",\"ts\":\""
                        + Instant.ofEpochMilli(T)
                        + "\"}");
        NormalizedRecord record = events().get(0);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("AUTH:r-3");
        RequestEvent event = EventCodec.decodeRequest(record.value());
        assertThat(event.authOutcome().isServiceFailure()).isTrue();
        assertThat(event.tokenMintLatencyMs()).isEqualTo(1200.0);
        assertThat(event.service()).isEqualTo("identity");
        assertThat(event.eventTimeMs()).isEqualTo(T);
    }

    @Test
    void normalizesStatusEventAndRejectsUnknownType() throws Exception {
        send(
                "status",
                "{\"id\":\"dep-42\",\"type\":\"deploy\",\"source\":\"spinnaker\",\"region\":\"EMEA\","
                        + "\"service\":\"identity\",\"version\":\"v2.3.1\",\"ts\":"
                        + T
                        + "}");
        send(
                "status",
                "{\"id\":\"mw-1\",\"type\":\"maintenance_window\",\"service\":\"identity\",\"ts\":"
                        + T
                        + "}");
        StatusEvent event = EventCodec.decodeStatus(events().get(0).value());
        assertThat(event.kind()).isEqualTo(StatusKind.DEPLOY);
        assertThat(event.region()).isEqualTo(Region.EMEA);
        assertThat(deadLetters())
                .singleElement()
                .extracting(DeadLetter::reason)
                .isEqualTo(DeadLetterReason.UNSUPPORTED_EVENT_TYPE);
    }

    @Test
    void deadLettersMalformedLineWithOriginalBytesAndCoordinates() throws Exception {
        byte[] truncated =
                "{\"request_id\":\"r-4\",\"tenant_id\":\"AC".getBytes(StandardCharsets.UTF_8);
        send("gw", truncated);

        assertThat(events()).isEmpty();
        DeadLetter letter = deadLetters().get(0);
        assertThat(letter.reason()).isEqualTo(DeadLetterReason.MALFORMED_JSON);
        assertThat(letter.originalValue()).isEqualTo(truncated);
        assertThat(letter.originalKey()).isEqualTo("node-1".getBytes());
        assertThat(letter.sourceTopic()).isEqualTo("gw");
        assertThat(letter.sourcePartition()).isEqualTo(3);
        assertThat(letter.sourceOffset()).isZero();
        assertThat(deadLetterCount("gateway", DeadLetterReason.MALFORMED_JSON)).isEqualTo(1);
    }

    @Test
    void deadLettersEmptyAndOversizedRecords() throws Exception {
        send("gw", new byte[0]);
        send("gw", new byte[64 * 1024 + 1]);
        assertThat(deadLetters())
                .extracting(DeadLetter::reason)
                .containsExactly(DeadLetterReason.EMPTY_RECORD, DeadLetterReason.RECORD_TOO_LARGE);
    }

    @Test
    void decodesRemoteWriteAndDeadLettersSeriesWithoutIdentity() throws Exception {
        PromSeries good =
                new PromSeries(
                        Map.of(
                                "__name__",
                                "queue_depth",
                                "region",
                                "EMEA",
                                "service",
                                "identity",
                                "instance",
                                "id-1"),
                        List.of(new PromSample(T, 12), new PromSample(T + 1000, 15)));
        PromSeries anonymous =
                new PromSeries(
                        Map.of("__name__", "queue_depth", "instance", "x"),
                        List.of(new PromSample(T, 1)));
        send("metrics", RemoteWriteCodec.encode(List.of(good, anonymous)));

        assertThat(events()).hasSize(2).allMatch(r -> r.kind() == EventKind.METRIC_SAMPLE);
        MetricSample sample = EventCodec.decodeMetric(events().get(1).value());
        assertThat(sample.metricName()).isEqualTo("queue_depth");
        assertThat(sample.region()).isEqualTo(Region.EMEA);
        assertThat(sample.value()).isEqualTo(15.0);
        assertThat(sample.labels()).containsEntry("instance", "id-1").doesNotContainKey("__name__");
        assertThat(deadLetters())
                .singleElement()
                .extracting(DeadLetter::reason)
                .isEqualTo(DeadLetterReason.SERIES_MISSING_IDENTITY);
    }

    @Test
    void deadLettersUndecodableRemoteWrite() throws Exception {
        send("metrics", "definitely not snappy".getBytes(StandardCharsets.UTF_8));
        assertThat(deadLetters())
                .singleElement()
                .extracting(DeadLetter::reason)
                .isEqualTo(DeadLetterReason.REMOTE_WRITE_UNDECODABLE);
    }

    @Test
    void deadLettersEventsFromTheFutureSoTheyCannotDragWatermarks() throws Exception {
        long tomorrow = System.currentTimeMillis() + Duration.ofDays(1).toMillis();
        send(
                "gw",
                "{\"request_id\":\"r-5\",\"tenant_id\":\"ACME\",\"region\":\"NA\","
                        + "\"endpoint\":\"/services/data/v60/query\",\"status\":200,\"ts\":"
                        + tomorrow
                        + "}");
        assertThat(events()).isEmpty();
        assertThat(deadLetters())
                .singleElement()
                .extracting(DeadLetter::reason)
                .isEqualTo(DeadLetterReason.EVENT_TIME_IN_FUTURE);
    }

    @Test
    void aReplayJudgesTheFutureByWhenTheRecordArrivedNotByWhenItIsReplayed() throws Exception {
        // five minutes and a second after the record's Kafka timestamp: the wall clock, long
        // after, lets it pass; a replay of bronze dead-letters it as the stream did
        String line =
                "{\"request_id\":\"r-6\",\"tenant_id\":\"ACME\",\"region\":\"NA\","
                        + "\"endpoint\":\"/services/data/v60/query\",\"status\":200,\"ts\":"
                        + (T + 5 + Duration.ofMinutes(5).plusSeconds(1).toMillis())
                        + "}";
        send("gw", line);
        assertThat(events()).hasSize(1);

        try (var replay = harness(60_000, NormalizerSettings.IngestClock.RECORD_TIMESTAMP)) {
            replay.open();
            replay.processElement(
                    new StreamRecord<>(
                            new RawRecord(
                                    "gw",
                                    3,
                                    0,
                                    T + 5,
                                    "node-1".getBytes(),
                                    line.getBytes(StandardCharsets.UTF_8))));
            assertThat(replay.extractOutputValues()).isEmpty();
            assertThat(replay.getSideOutput(RawRecordNormalizer.DEAD_LETTERS))
                    .singleElement()
                    .extracting(r -> r.getValue().reason())
                    .isEqualTo(DeadLetterReason.EVENT_TIME_IN_FUTURE);
        }
    }

    @Test
    void countsEveryRecordIn() throws Exception {
        send("gw", "{}");
        send("status", "[]");
        assertThat(meters.get("normalizer.records.in").tag("source", "gateway").counter().count())
                .isEqualTo(1);
        assertThat(meters.get("normalizer.records.in").tag("source", "status").counter().count())
                .isEqualTo(1);
    }
}
