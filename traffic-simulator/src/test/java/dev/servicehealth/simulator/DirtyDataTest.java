package dev.servicehealth.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servicehealth.model.AuthOutcome;
import dev.servicehealth.model.DeadLetterReason;
import dev.servicehealth.model.EventKind;
import dev.servicehealth.model.Region;
import dev.servicehealth.model.remotewrite.PromSeries;
import dev.servicehealth.model.remotewrite.RemoteWriteCodec;
import dev.servicehealth.model.remotewrite.RemoteWriteFormatException;
import java.io.IOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every dirty kind is produced, and labelled with the reason a strict reader would find. */
class DirtyDataTest {
    private static final List<String> GATEWAY_REQUIRED =
            List.of("request_id", "tenant_id", "region", "endpoint", "http_status", "timestamp");
    private static final List<String> AUTH_REQUIRED =
            List.of("request_id", "tenant_id", "region", "outcome", "timestamp");
    private static final List<String> STATUS_REQUIRED =
            List.of("event_id", "type", "service", "timestamp");

    private static SimulatorConfig config;
    private static List<SimulatedRecord> records;

    @BeforeAll
    static void generate() {
        config =
                SimulatorConfig.builder()
                        .scenario(Scenario.EMEA_AUTH_OUTAGE)
                        .eventsPerSecond(200)
                        .duration(Duration.ofMinutes(3))
                        .dirt(DirtySets.heavy())
                        .statusEventsPerHour(1200)
                        .build();
        records = TrafficSimulator.generate(config).records();
    }

    @Test
    void everyDeadLetterReasonOfRawInputAppears() {
        Set<DeadLetterReason> seen = EnumSet.noneOf(DeadLetterReason.class);
        records.forEach(r -> r.expectation().deadLetter().ifPresent(seen::add));

        assertThat(seen)
                .containsExactlyInAnyOrder(
                        DeadLetterReason.EMPTY_RECORD,
                        DeadLetterReason.MALFORMED_JSON,
                        DeadLetterReason.NOT_A_JSON_OBJECT,
                        DeadLetterReason.MISSING_REQUIRED_FIELD,
                        DeadLetterReason.INVALID_FIELD_VALUE,
                        DeadLetterReason.UNSUPPORTED_EVENT_TYPE,
                        DeadLetterReason.REMOTE_WRITE_UNDECODABLE,
                        DeadLetterReason.SERIES_MISSING_IDENTITY);
    }

    @Test
    void jsonDeadLettersAreLabelledWithTheFaultTheyCarry() throws IOException {
        for (SimulatedRecord record : records) {
            if (record.topic().equals(config.topics().metrics())
                    || !record.expectation().isDeadLettered()) {
                continue;
            }
            List<String> required = required(record.topic());
            switch (record.expectation().deadLetterReason()) {
                case EMPTY_RECORD -> assertThat(record.value()).isEmpty();
                case MALFORMED_JSON ->
                        assertThatThrownBy(() -> Json.parse(record.value()))
                                .as("%s", record)
                                .isInstanceOf(IOException.class);
                case NOT_A_JSON_OBJECT ->
                        assertThat(Json.parse(record.value())).isNotInstanceOf(Map.class);
                case MISSING_REQUIRED_FIELD -> {
                    Map<String, Object> line = Json.object(record.value());
                    assertThat(required).anyMatch(f -> line.get(f) == null);
                }
                case INVALID_FIELD_VALUE -> {
                    Map<String, Object> line = Json.object(record.value());
                    assertThat(required).allMatch(line::containsKey);
                    assertThat(hasInvalidValue(line)).as("%s", record).isTrue();
                }
                case UNSUPPORTED_EVENT_TYPE -> {
                    assertThat(record.topic()).isEqualTo(config.topics().status());
                    assertThat(Json.object(record.value()))
                            .containsEntry("type", "maintenance_window");
                }
                default -> throw new AssertionError("unexpected reason on a JSON topic: " + record);
            }
        }
    }

    @Test
    void malformedLinesIncludeTruncatedLinesAndBinaryGarbage() {
        List<byte[]> malformed =
                records.stream()
                        .filter(
                                r ->
                                        r.expectation().deadLetterReason()
                                                == DeadLetterReason.MALFORMED_JSON)
                        .map(SimulatedRecord::value)
                        .toList();

        assertThat(malformed).anyMatch(v -> v[0] == '{');
        assertThat(malformed).anyMatch(v -> (v[0] & 0x80) != 0);
        assertThat(malformed).allMatch(v -> new String(v).indexOf('\n') < 0);
    }

    @Test
    void malformedBurstsComeFromEmeaDuringTheOutage() {
        long outageStart = config.startMs() + config.duration().toMillis() * 20 / 100;
        long outageEnd = config.startMs() + config.duration().toMillis() * 60 / 100;
        long inOutage = 0;
        long before = 0;
        for (SimulatedRecord r : records) {
            if (r.expectation().deadLetterReason() == DeadLetterReason.MALFORMED_JSON) {
                if (r.timestampMs() >= outageStart && r.timestampMs() < outageEnd) {
                    inOutage++;
                } else if (r.timestampMs() < outageStart) {
                    before++;
                }
            }
        }

        // The outage lasts twice as long as the baseline; a 5 % burst on EMEA dwarfs 1 %.
        assertThat(inOutage).isGreaterThan(3 * before);
    }

    @Test
    void remoteWriteExpectationsMatchWhatTheCodecDecodes() {
        int undecodable = 0;
        int partial = 0;
        for (SimulatedRecord record : records) {
            if (!record.topic().equals(config.topics().metrics())) {
                continue;
            }
            Expectation expected = record.expectation();
            assertThat(expected.kind()).isEqualTo(EventKind.METRIC_SAMPLE);
            if (expected.deadLetterReason() == DeadLetterReason.REMOTE_WRITE_UNDECODABLE) {
                undecodable++;
                assertThatThrownBy(() -> RemoteWriteCodec.decode(record.value()))
                        .isInstanceOf(RemoteWriteFormatException.class);
                continue;
            }
            List<PromSeries> series = decode(record.value());
            long valid =
                    series.stream()
                            .filter(s -> Region.parse(s.labels().get("region")).isPresent())
                            .filter(s -> s.labels().containsKey("service"))
                            .mapToLong(s -> s.samples().size())
                            .sum();
            assertThat(expected.normalizedCount()).isEqualTo(valid);
            boolean rejectsSome = series.stream().anyMatch(s -> !s.labels().containsKey("region"));
            assertThat(expected.deadLetter())
                    .isEqualTo(
                            rejectsSome
                                    ? java.util.Optional.of(
                                            DeadLetterReason.SERIES_MISSING_IDENTITY)
                                    : java.util.Optional.empty());
            if (rejectsSome && valid > 0) {
                partial++;
            }
            assertThat(series)
                    .extracting(PromSeries::metricName)
                    .contains("queue_depth", "cpu_throttling_ratio", "request_rate", "error_rate");
        }
        assertThat(undecodable).isGreaterThan(5);
        assertThat(partial).isGreaterThan(5);
    }

    @Test
    void driftedLinesAreValidJsonUsingTheDataModelsAliases() throws IOException {
        Set<String> names = new HashSet<>();
        boolean numericStringLatency = false;
        boolean epochSeconds = false;
        boolean isoWithOffset = false;
        for (SimulatedRecord record : records) {
            if (record.topic().equals(config.topics().metrics())
                    || record.expectation().isDeadLettered()) {
                continue;
            }
            Map<String, Object> line = Json.object(record.value());
            names.addAll(line.keySet());
            numericStringLatency |= line.get("latency_ms") instanceof String;
            epochSeconds |= line.get("time") instanceof Number n && n.doubleValue() < 1e11;
            if (line.get("@timestamp") instanceof String iso && !iso.endsWith("Z")) {
                isoWithOffset |= OffsetDateTime.parse(iso).getOffset().getTotalSeconds() != 0;
            }
        }

        assertThat(names)
                .contains(
                        "requestId",
                        "req_id",
                        "tenantId",
                        "tenant",
                        "path",
                        "uri",
                        "statusCode",
                        "status_code",
                        "status",
                        "latencyMs",
                        "duration_ms",
                        "bytesOut",
                        "response_bytes",
                        "userAgent",
                        "ua",
                        "ts",
                        "@timestamp",
                        "time",
                        "availability_zone",
                        "op",
                        "result",
                        "mint_latency_ms",
                        "id",
                        "kind",
                        "source")
                .contains("trace_id", "gateway_version", "gateway_node");
        assertThat(numericStringLatency).isTrue();
        assertThat(epochSeconds).isTrue();
        assertThat(isoWithOffset).isTrue();
    }

    @Test
    void validAuthLinesUseOnlyKnownOutcomes() throws IOException {
        Set<AuthOutcome> outcomes = EnumSet.noneOf(AuthOutcome.class);
        for (SimulatedRecord record : records) {
            if (record.topic().equals(config.topics().auth())
                    && !record.expectation().isDeadLettered()) {
                Map<String, Object> line = Json.object(record.value());
                Object outcome =
                        line.containsKey("outcome") ? line.get("outcome") : line.get("result");
                outcomes.add(AuthOutcome.parse((String) outcome).orElseThrow());
            }
        }
        assertThat(outcomes).contains(AuthOutcome.SUCCESS, AuthOutcome.DEPENDENCY_ERROR);
    }

    private List<String> required(String topic) {
        if (topic.equals(config.topics().gateway())) {
            return GATEWAY_REQUIRED;
        }
        if (topic.equals(config.topics().auth())) {
            return AUTH_REQUIRED;
        }
        return STATUS_REQUIRED;
    }

    /** A value the data model says cannot be coerced: non-numeric, out of range, or unknown. */
    private static boolean hasInvalidValue(Map<String, Object> line) {
        for (String numeric :
                List.of("http_status", "latency_ms", "bytes_out", "token_mint_latency_ms")) {
            if (line.get(numeric) instanceof String s && !isNumber(s)) {
                return true;
            }
        }
        if (line.get("outcome") instanceof String outcome && AuthOutcome.parse(outcome).isEmpty()) {
            return true;
        }
        if (line.get("timestamp") instanceof String ts && !isNumber(ts)) {
            try {
                int year = OffsetDateTime.parse(ts).getYear();
                return year < 2000 || year > 2100;
            } catch (java.time.format.DateTimeParseException e) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static List<PromSeries> decode(byte[] body) {
        try {
            return RemoteWriteCodec.decode(body);
        } catch (RemoteWriteFormatException e) {
            throw new AssertionError(e);
        }
    }
}
