package dev.servicehealth.ingest.parse;

import static dev.servicehealth.ingest.parse.FieldSpec.FieldType.DOUBLE;
import static dev.servicehealth.ingest.parse.FieldSpec.FieldType.INT;
import static dev.servicehealth.ingest.parse.FieldSpec.FieldType.STRING;
import static dev.servicehealth.ingest.parse.FieldSpec.FieldType.TIMESTAMP;
import static dev.servicehealth.ingest.parse.FieldSpec.optional;
import static dev.servicehealth.ingest.parse.FieldSpec.required;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servicehealth.model.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlatJsonReaderTest {
    private static final long T = Instant.parse("2026-11-22T10:15:30.250Z").toEpochMilli();

    private final FlatJsonReader reader =
            new FlatJsonReader(
                    List.of(
                            required("request_id", STRING, "requestId"),
                            required("http_status", INT, "status"),
                            optional("latency_ms", DOUBLE, "latencyMs"),
                            required("timestamp", TIMESTAMP, "ts", "@timestamp")));
    private final int id = reader.indexOf("request_id");
    private final int status = reader.indexOf("http_status");
    private final int latency = reader.indexOf("latency_ms");
    private final int time = reader.indexOf("timestamp");

    private ParsedLine read(String json) throws RejectedRecord {
        return reader.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private DeadLetterReason rejection(String json) {
        try {
            read(json);
        } catch (RejectedRecord r) {
            return r.reason();
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void reportsRenamedNewAndRetypedFieldsAsDrift() throws Exception {
        ParsedLine line =
                read(
                        "{\"requestId\":\"r1\",\"http_status\":\"503\",\"trace_id\":\"t-9\","
                                + "\"ts\":"
                                + T
                                + "}");
        List<String> drift = new java.util.ArrayList<>();
        for (int i = 0; i < line.drifts(); i++) {
            drift.add(line.driftKind(i) + " " + line.driftName(i));
        }

        assertThat(drift)
                .containsExactly(
                        "RENAMED_FIELD requestId → request_id",
                        "TYPE_CHANGED http_status: string for int",
                        "NEW_FIELD trace_id",
                        "RENAMED_FIELD ts → timestamp");
        assertThat(
                        read("{\"request_id\":\"r2\",\"http_status\":200,\"timestamp\":" + T + "}")
                                .drifts())
                .as("a canonical line has none, and the reused line forgets the last one's")
                .isZero();
    }

    @Test
    void readsCanonicalFields() throws Exception {
        ParsedLine line =
                read(
                        "{\"request_id\":\"r1\",\"http_status\":503,\"latency_ms\":12.5,\"timestamp\":"
                                + T
                                + "}");
        assertThat(line.string(id)).isEqualTo("r1");
        assertThat(line.longValue(status)).isEqualTo(503);
        assertThat(line.doubleValue(latency)).isEqualTo(12.5);
        assertThat(line.longValue(time)).isEqualTo(T);
        assertThat(line.unknownFields()).isZero();
        assertThat(line.coercedFields()).isZero();
    }

    @Test
    void acceptsAliasesAndCountsCoercions() throws Exception {
        ParsedLine line =
                read(
                        "{\"requestId\":\"r1\",\"status\":\"503\",\"latencyMs\":\"12.5\","
                                + "\"@timestamp\":\"2026-11-22T10:15:30.250Z\"}");
        assertThat(line.string(id)).isEqualTo("r1");
        assertThat(line.longValue(status)).isEqualTo(503);
        assertThat(line.doubleValue(latency)).isEqualTo(12.5);
        assertThat(line.longValue(time)).isEqualTo(T);
        assertThat(line.coercedFields()).isEqualTo(2);
    }

    @Test
    void readsEpochSecondsAndOffsetTimestamps() throws Exception {
        assertThat(
                        read("{\"request_id\":\"r\",\"status\":200,\"ts\":" + (T / 1000.0) + "}")
                                .longValue(time))
                .isEqualTo(T);
        assertThat(
                        read("{\"request_id\":\"r\",\"status\":200,\"ts\":\"2026-11-22T11:15:30.250+01:00\"}")
                                .longValue(time))
                .isEqualTo(T);
    }

    @Test
    void countsAndSkipsUnknownFieldsIncludingNestedOnes() throws Exception {
        ParsedLine line =
                read(
                        "{\"request_id\":\"r\",\"status\":200,\"ts\":"
                                + T
                                + ",\"gateway_node\":\"gw-1\",\"trace\":{\"span\":[1,2]}}");
        assertThat(line.unknownFields()).isEqualTo(2);
    }

    @Test
    void leavesOptionalFieldAbsentWhenNull() throws Exception {
        ParsedLine line =
                read("{\"request_id\":\"r\",\"status\":200,\"latency_ms\":null,\"ts\":" + T + "}");
        assertThat(line.has(latency)).isFalse();
    }

    @Test
    void rejectsMissingRequiredField() {
        assertThat(rejection("{\"status\":200,\"ts\":" + T + "}"))
                .isEqualTo(DeadLetterReason.MISSING_REQUIRED_FIELD);
        assertThat(rejection("{\"request_id\":\"  \",\"status\":200,\"ts\":" + T + "}"))
                .isEqualTo(DeadLetterReason.MISSING_REQUIRED_FIELD);
    }

    @Test
    void rejectsValuesThatCannotBeCoerced() {
        assertThat(rejection("{\"request_id\":\"r\",\"status\":\"abc\",\"ts\":" + T + "}"))
                .isEqualTo(DeadLetterReason.INVALID_FIELD_VALUE);
        assertThat(rejection("{\"request_id\":\"r\",\"status\":200.5,\"ts\":" + T + "}"))
                .isEqualTo(DeadLetterReason.INVALID_FIELD_VALUE);
        assertThat(rejection("{\"request_id\":\"r\",\"status\":{\"code\":200},\"ts\":" + T + "}"))
                .isEqualTo(DeadLetterReason.INVALID_FIELD_VALUE);
        assertThat(rejection("{\"request_id\":\"r\",\"status\":200,\"ts\":\"yesterday\"}"))
                .isEqualTo(DeadLetterReason.INVALID_FIELD_VALUE);
        assertThat(rejection("{\"request_id\":\"r\",\"status\":200,\"ts\":12}"))
                .isEqualTo(DeadLetterReason.INVALID_FIELD_VALUE);
    }

    @Test
    void rejectsMalformedAndNonObjectJson() {
        assertThat(rejection("{\"request_id\":\"r\",\"status\":20"))
                .isEqualTo(DeadLetterReason.MALFORMED_JSON);
        assertThat(rejection("{\"request_id\":\"r\"} trailing"))
                .isEqualTo(DeadLetterReason.MALFORMED_JSON);
        assertThat(rejection("[1,2,3]")).isEqualTo(DeadLetterReason.NOT_A_JSON_OBJECT);
        assertThat(rejection("   ")).isEqualTo(DeadLetterReason.EMPTY_RECORD);
    }

    @Test
    void reportsALineCutInsideANumberAsMalformedNotInvalid() {
        assertThat(rejection("{\"request_id\":\"r\",\"status\":200,\"ts\":17322"))
                .isEqualTo(DeadLetterReason.MALFORMED_JSON);
    }

    @Test
    void rejectsBinaryGarbage() {
        byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0x00, 0x7b, (byte) 0x80};
        assertThatThrownBy(() -> reader.read(garbage))
                .isInstanceOf(RejectedRecord.class)
                .extracting(e -> ((RejectedRecord) e).reason())
                .isEqualTo(DeadLetterReason.MALFORMED_JSON);
    }
}
