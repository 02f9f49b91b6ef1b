package dev.servicehealth.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.servicehealth.aggregator.kafka.KpiRowJson;
import dev.servicehealth.aggregator.kpi.KpiKey;
import dev.servicehealth.aggregator.kpi.KpiPartial;
import dev.servicehealth.ingest.kafka.SchemaDriftSerializer;
import dev.servicehealth.ingest.normalize.SchemaDrift;
import dev.servicehealth.model.catalog.Grain;
import dev.servicehealth.model.wire.DeadLetterV1;
import dev.servicehealth.model.wire.StatusEventV1;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The append-only tables read their topics as they are: the protobuf tables' columns are the
 * message's fields with the types Pinot's decoder produces (strings and enum names as STRING, int64
 * as LONG, int32 as INT), less what must not leave the restricted zone; the too-late table's
 * columns are what the aggregator writes; every table names its topic and reads it read_committed.
 */
class EventLogTableTest {
    /** Dead-letter fields that may hold clear tenant ids: only in the restricted topic. */
    private static final Set<String> RESTRICTED =
            Set.of("original_value", "original_key", "detail");

    @TempDir Path tmp;

    @Test
    void theStatusColumnsAreTheFieldsOfTheStatusEvent() {
        assertThat(columns(EventLogTable.STATUS_EVENTS))
                .isEqualTo(fields(StatusEventV1.getDescriptor(), Set.of()));
    }

    @Test
    void theDeadLetterColumnsAreItsFieldsWithoutTheOriginalBytesOrTheDetail() {
        Map<String, String> columns = columns(EventLogTable.DEAD_LETTERS);
        assertThat(columns).isEqualTo(fields(DeadLetterV1.getDescriptor(), RESTRICTED));
        assertThat(columns).doesNotContainKeys(RESTRICTED.toArray(String[]::new));
    }

    @Test
    void theTooLateColumnsAreWhatTheAggregatorWritesForEveryGrain() throws Exception {
        Map<String, String> written = new HashMap<>();
        for (Grain grain : Grain.values()) {
            int dimensions = grain.dimensions().size() - 1;
            KpiKey key =
                    new KpiKey(
                            grain.name(),
                            60_000,
                            String.join(
                                    String.valueOf(KpiKey.SEPARATOR),
                                    Collections.nCopies(dimensions, "x")));
            KpiPartial partial =
                    new KpiPartial(key, new long[0], new byte[0][], new double[0], 3, 0, true);
            JsonNode row = PinotHttp.JSON.readTree(KpiRowJson.tooLate(partial, 120_000));
            row.fields()
                    .forEachRemaining(
                            f ->
                                    written.put(
                                            f.getKey(),
                                            f.getValue().isTextual() ? "STRING" : "LONG"));
        }
        assertThat(columns(EventLogTable.TOO_LATE_EVENTS)).isEqualTo(written);
    }

    @Test
    void theDriftColumnsAreWhatTheNormalizerWrites() throws Exception {
        Map<String, String> written = new HashMap<>();
        JsonNode line =
                PinotHttp.JSON.readTree(
                        SchemaDriftSerializer.json(
                                new SchemaDrift(
                                        "gateway",
                                        "sf-cli/2.1",
                                        "new_field",
                                        "trace_id",
                                        3,
                                        1,
                                        2,
                                        60_000)));
        line.fields()
                .forEachRemaining(
                        f -> written.put(f.getKey(), f.getValue().isTextual() ? "STRING" : "LONG"));
        assertThat(columns(EventLogTable.SCHEMA_DRIFT)).isEqualTo(written);
    }

    @ParameterizedTest
    @EnumSource(EventLogTable.class)
    void theTableReadsItsTopicReadCommitted(EventLogTable table) {
        JsonNode stream = table.tableConfig().path("tableIndexConfig").path("streamConfigs");
        assertThat(stream.path("stream.kafka.topic.name").asText()).isEqualTo(table.topic());
        assertThat(stream.path("stream.kafka.isolation.level").asText())
                .isEqualTo("read_committed");
        assertThat(table.tableConfig().has("upsertConfig")).as("append-only").isFalse();
    }

    @Test
    void theProtobufTablesDecodeTheirMessageWithTheShippedSchema() throws Exception {
        Map<EventLogTable, Descriptor> messages =
                Map.of(
                        EventLogTable.STATUS_EVENTS, StatusEventV1.getDescriptor(),
                        EventLogTable.DEAD_LETTERS, DeadLetterV1.getDescriptor());
        assertThat(List.of(EventLogTable.values()).stream().filter(EventLogTable::protobuf))
                .containsExactlyInAnyOrderElementsOf(messages.keySet());

        Path descriptor = EventLogTable.writeDescriptor(tmp.resolve("events.desc"));
        Set<String> shipped =
                FileDescriptorSet.parseFrom(Files.readAllBytes(descriptor)).getFileList().stream()
                        .flatMap(
                                file ->
                                        file.getMessageTypeList().stream()
                                                .map(DescriptorProto::getName)
                                                .map(name -> file.getPackage() + "." + name))
                        .collect(Collectors.toSet());
        messages.forEach(
                (table, message) -> {
                    JsonNode stream =
                            table.tableConfig().path("tableIndexConfig").path("streamConfigs");
                    assertThat(stream.path("stream.kafka.decoder.prop.protoClassName").asText())
                            .isEqualTo(message.getFullName());
                    assertThat(stream.path("stream.kafka.decoder.prop.descriptorFile").asText())
                            .isEqualTo(EventLogTable.DESCRIPTOR_PLACEHOLDER);
                    assertThat(shipped).contains(message.getFullName());
                });
    }

    private static Map<String, String> columns(EventLogTable table) {
        Map<String, String> columns = new HashMap<>();
        for (String specs :
                List.of("dimensionFieldSpecs", "metricFieldSpecs", "dateTimeFieldSpecs")) {
            for (JsonNode spec : table.schema().path(specs)) {
                columns.put(spec.get("name").asText(), spec.get("dataType").asText());
            }
        }
        return columns;
    }

    private static Map<String, String> fields(Descriptor message, Set<String> left) {
        Map<String, String> fields = new HashMap<>();
        for (FieldDescriptor field : message.getFields()) {
            if (left.contains(field.getName())) {
                continue;
            }
            fields.put(
                    field.getName(),
                    switch (field.getJavaType()) {
                        case STRING, ENUM -> "STRING";
                        case LONG -> "LONG";
                        case INT -> "INT";
                        default -> throw new AssertionError(field + " has no column type");
                    });
        }
        return fields;
    }
}
