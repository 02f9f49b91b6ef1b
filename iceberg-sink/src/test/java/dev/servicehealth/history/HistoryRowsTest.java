package dev.servicehealth.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servicehealth.aggregator.SampleKpiRows;
import dev.servicehealth.aggregator.kafka.KpiRowJson;
import dev.servicehealth.model.AuthOutcome;
import dev.servicehealth.model.DeadLetter;
import dev.servicehealth.model.DeadLetterReason;
import dev.servicehealth.model.EventCodec;
import dev.servicehealth.model.MetricSample;
import dev.servicehealth.model.Region;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.RequestEvents;
import dev.servicehealth.model.catalog.Grain;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Records of every input become rows of their table's schema, or are unreadable, never a crash. */
class HistoryRowsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RowMapper.UnknownColumns NONE_EXPECTED =
            (table, field) -> {
                throw new AssertionError("unknown column " + field + " of " + table);
            };

    @Test
    void aRawRecordIsKeptWithItsBytesAndCoordinates() throws Exception {
        byte[] line = "{\"request_id\": \"r-1\", trunc".getBytes(StandardCharsets.UTF_8);
        TableRow row =
                BronzeRows.rawRecords()
                        .map(record("raw.gateway", line, 1_700_000_000_000L), NONE_EXPECTED);

        assertThat(row.table()).isEqualTo(HistoryTable.RAW_RECORDS);
        RowData data = row.row();
        assertThat(data.getString(0).toString()).isEqualTo("raw.gateway");
        assertThat(data.getInt(1)).isEqualTo(2);
        assertThat(data.getLong(2)).isEqualTo(41L);
        assertThat(data.getTimestamp(3, 6))
                .isEqualTo(TimestampData.fromEpochMillis(1_700_000_000_000L));
        assertThat(data.getBinary(5)).isEqualTo(line);
        assertThat(data.getTimestamp(6, 6)).isEqualTo(TimestampData.fromEpochMillis(READ_AT));
    }

    @Test
    void aDeadLetterKeepsItsReasonAndBothCoordinates() throws Exception {
        DeadLetter letter =
                new DeadLetter(
                        "raw.auth",
                        1,
                        7,
                        1_700_000_000_000L,
                        DeadLetterReason.MALFORMED_JSON,
                        "unexpected end",
                        null,
                        new byte[] {'{'},
                        1_700_000_001_000L);
        RowData row =
                BronzeRows.deadLetters()
                        .map(record("deadletter", EventCodec.encode(letter), 0), NONE_EXPECTED)
                        .row();

        assertThat(row.getString(0).toString()).isEqualTo("raw.auth");
        assertThat(row.getInt(1)).isEqualTo(1);
        assertThat(row.getLong(2)).isEqualTo(7);
        assertThat(row.getString(4).toString()).isEqualTo("malformed_json");
        assertThat(row.getBinary(7)).containsExactly('{');
        assertThat(row.getInt(9)).as("dead-letter partition").isEqualTo(2);
        assertThat(row.getLong(10)).as("dead-letter offset").isEqualTo(41);
    }

    @Test
    void aRequestHasTypedColumnsAndItsClock() throws Exception {
        RowData gateway =
                SilverRows.requests()
                        .map(
                                record(
                                        "dedup.requests",
                                        EventCodec.encode(
                                                RequestEvents.gateway().status(503).build()),
                                        1_795_341_500_000L),
                                NONE_EXPECTED)
                        .row();
        RowData auth =
                SilverRows.requests()
                        .map(
                                record(
                                        "dedup.requests",
                                        EventCodec.encode(
                                                RequestEvents.auth(AuthOutcome.TIMEOUT).build()),
                                        0),
                                NONE_EXPECTED)
                        .row();

        assertThat(gateway.getString(0).toString()).isEqualTo("GATEWAY");
        assertThat(gateway.getInt(9)).as("http_status").isEqualTo(503);
        assertThat(gateway.isNullAt(15)).as("auth_outcome of a gateway event").isTrue();
        assertThat(gateway.getTimestamp(13, 6))
                .isEqualTo(TimestampData.fromEpochMillis(RequestEvents.T));
        assertThat(gateway.getTimestamp(18, 6))
                .as("pipeline clock: the record's Kafka timestamp")
                .isEqualTo(TimestampData.fromEpochMillis(1_795_341_500_000L));
        assertThat(auth.isNullAt(9)).as("http_status of an auth event").isTrue();
        assertThat(auth.getString(15).toString()).isEqualTo("TIMEOUT");
    }

    @Test
    void aRequestRowReadsBackAsTheSameEvent() throws Exception {
        for (RequestEvent event :
                List.of(
                        RequestEvents.gateway().status(429).zone("emea-west-1a").build(),
                        RequestEvents.auth(AuthOutcome.DEPENDENCY_ERROR).build())) {
            RowData row =
                    SilverRows.requests()
                            .map(
                                    record("dedup.requests", EventCodec.encode(event), 0),
                                    NONE_EXPECTED)
                            .row();

            // the wire's reading: empty strings and absent numbers as the codec gives them back
            assertThat(SilverRows.requestEvent(row))
                    .isEqualTo(EventCodec.decodeRequest(EventCodec.encode(event)));
        }
    }

    @Test
    void aSampleWithAnEmptyLabelKeepsIt() throws Exception {
        MetricSample sample =
                new MetricSample(
                        "queue_depth",
                        Map.of("pod", "", "region", "EMEA", "service", "auth"),
                        Region.EMEA,
                        "auth",
                        1_700_000_000_000L,
                        3,
                        1_700_000_001_000L);
        RowData row =
                SilverRows.metricSamples()
                        .map(record("dedup.metrics", EventCodec.encode(sample), 0), NONE_EXPECTED)
                        .row();

        MapData labels = row.getMap(2);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            values.add(labels.valueArray().getString(i).toString());
        }
        assertThat(values).containsExactlyInAnyOrder("", "EMEA", "auth");
    }

    @Test
    void bytesThatAreNoEventAreUnreadable() {
        byte[] garbage = {(byte) 0xff, (byte) 0xff, 0x01};
        for (RowMapper mapper :
                List.of(
                        SilverRows.requests(),
                        SilverRows.metricSamples(),
                        SilverRows.statusEvents(),
                        BronzeRows.deadLetters(),
                        GoldRows.finalKpiRows(),
                        GoldRows.tooLateCounts())) {
            assertThatThrownBy(() -> mapper.map(record("t", garbage, 0), NONE_EXPECTED))
                    .as(mapper.tables().toString())
                    .isInstanceOf(UnreadableRecordException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(Grain.class)
    void aFinalKpiRowGoesToItsGrainsTableWithEveryField(Grain grain) throws Exception {
        byte[] json = KpiRowJson.row(SampleKpiRows.of(grain));
        TableRow row = GoldRows.finalKpiRows().map(record("kpi.history", json, 0), NONE_EXPECTED);

        assertThat(row.table().name()).isEqualTo("KPI_" + grain.name());
        JsonNode fields = JSON.readTree(json);
        List<Types.NestedField> columns = row.table().schema().columns();
        for (int i = 0; i < columns.size(); i++) {
            JsonNode field = fields.get(columns.get(i).name());
            Object value =
                    switch (columns.get(i).type().typeId()) {
                        case STRING -> row.row().getString(i).toString();
                        case INTEGER -> (long) row.row().getInt(i);
                        case LONG -> row.row().getLong(i);
                        case DOUBLE -> row.row().getDouble(i);
                        case TIMESTAMP -> row.row().getTimestamp(i, 6).getMillisecond();
                        case BINARY -> HexFormat.of().formatHex(row.row().getBinary(i));
                        default -> throw new AssertionError(columns.get(i).toString());
                    };
            Object expected =
                    field.isTextual()
                            ? field.asText()
                            : field.isIntegralNumber() ? (Object) field.asLong() : field.asDouble();
            assertThat(value).as(columns.get(i).name()).isEqualTo(expected);
        }
    }

    @Test
    void aKpiRowMissingARequiredColumnIsUnreadable() throws Exception {
        ObjectNode json =
                (ObjectNode) JSON.readTree(KpiRowJson.row(SampleKpiRows.of(Grain.SERVICE)));
        json.remove("requests");

        assertThatThrownBy(
                        () ->
                                GoldRows.finalKpiRows()
                                        .map(
                                                record(
                                                        "kpi.history",
                                                        JSON.writeValueAsBytes(json),
                                                        0),
                                                NONE_EXPECTED))
                .isInstanceOf(UnreadableRecordException.class)
                .hasMessageContaining("requests");
    }

    @Test
    void aFieldWithoutAColumnIsCountedAndTheRowKept() throws Exception {
        ObjectNode json =
                (ObjectNode) JSON.readTree(KpiRowJson.row(SampleKpiRows.of(Grain.SERVICE)));
        json.put("retries", 4);
        List<String> unknown = new ArrayList<>();

        TableRow row =
                GoldRows.finalKpiRows()
                        .map(
                                record("kpi.history", JSON.writeValueAsBytes(json), 0),
                                (table, field) -> unknown.add(table + "." + field));

        assertThat(row.table()).isEqualTo(HistoryTable.KPI_SERVICE);
        assertThat(unknown).containsExactly("KPI_SERVICE.retries");
    }

    @Test
    void aTooLateCountKeepsItsGrainsDimensionsAndNullsTheOthers() throws Exception {
        byte[] json =
                ("{\"grain\":\"saturation\",\"window_start\":1700000000000,\"region\":\"EMEA\","
                                + "\"service\":\"auth\",\"events\":3,\"seen_at\":1700000900000}")
                        .getBytes(StandardCharsets.UTF_8);
        RowData row =
                GoldRows.tooLateCounts().map(record("kpi.too-late", json, 0), NONE_EXPECTED).row();
        List<String> columns =
                HistoryTable.KPI_TOO_LATE.schema().columns().stream().map(c -> c.name()).toList();

        assertThat(row.getString(columns.indexOf("region")).toString()).isEqualTo("EMEA");
        assertThat(row.isNullAt(columns.indexOf("tenant_token"))).isTrue();
        assertThat(row.getLong(columns.indexOf("events"))).isEqualTo(3);
    }

    private static final long READ_AT = 1_700_000_002_000L;

    private static TopicRecord record(String topic, byte[] value, long timestampMs) {
        return new TopicRecord(topic, 2, 41, timestampMs, null, value, READ_AT);
    }
}
