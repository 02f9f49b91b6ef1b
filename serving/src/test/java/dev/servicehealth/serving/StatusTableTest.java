package dev.servicehealth.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.servicehealth.model.wire.StatusEventV1;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status table reads the status topic's protobuf as it is: its columns are the message's fields
 * with types Pinot's decoder produces (strings and enum names as STRING, int64 as LONG), and the
 * table names the message and ships the compiled schema that holds it.
 */
class StatusTableTest {
    @TempDir Path tmp;

    @Test
    void theColumnsAreTheFieldsOfTheStatusEvent() {
        Map<String, String> columns = new HashMap<>();
        for (String specs : List.of("dimensionFieldSpecs", "dateTimeFieldSpecs")) {
            for (JsonNode spec : StatusTable.schema().path(specs)) {
                columns.put(spec.get("name").asText(), spec.get("dataType").asText());
            }
        }
        Map<String, String> fields = new HashMap<>();
        for (FieldDescriptor field : StatusEventV1.getDescriptor().getFields()) {
            fields.put(
                    field.getName(),
                    switch (field.getJavaType()) {
                        case STRING, ENUM -> "STRING";
                        case LONG -> "LONG";
                        default -> throw new AssertionError(field + " has no column type");
                    });
        }
        assertThat(columns).isEqualTo(fields);
    }

    @Test
    void theTableDecodesTheStatusEventWithTheShippedSchema() throws Exception {
        JsonNode stream = StatusTable.tableConfig().path("tableIndexConfig").path("streamConfigs");
        assertThat(stream.path("stream.kafka.decoder.prop.protoClassName").asText())
                .isEqualTo(StatusEventV1.getDescriptor().getFullName());
        assertThat(stream.path("stream.kafka.decoder.prop.descriptorFile").asText())
                .isEqualTo(StatusTable.DESCRIPTOR_PLACEHOLDER);
        assertThat(stream.path("stream.kafka.topic.name").asText()).isEqualTo(StatusTable.topic());
        assertThat(stream.path("stream.kafka.isolation.level").asText())
                .isEqualTo("read_committed");

        Path descriptor = StatusTable.writeDescriptor(tmp.resolve("events.desc"));
        FileDescriptorSet set = FileDescriptorSet.parseFrom(Files.readAllBytes(descriptor));
        assertThat(set.getFileList())
                .anySatisfy(
                        file ->
                                assertThat(file.getMessageTypeList())
                                        .anySatisfy(
                                                m ->
                                                        assertThat(m.getName())
                                                                .isEqualTo("StatusEventV1")));
    }
}
