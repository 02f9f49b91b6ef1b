package dev.servicehealth.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servicehealth.model.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The Pinot table of status events (deploys, feature flags, incident tickets), as written in {@code
 * deploy/pinot/status_events.*.json}: an append-only REALTIME table that reads the deduplicated
 * status topic as it is, protobuf decoded with the compiled schema of the event model, so each
 * event appears once and no job has to write a second copy.
 */
public final class StatusTable {
    public static final String TABLE_NAME = "status_events";

    /** The placeholder for the compiled schema's location in the deployed table config. */
    public static final String DESCRIPTOR_PLACEHOLDER = "${STATUS_EVENT_DESCRIPTOR}";

    /** The compiled event schema in health-model's jar ({@code protoc --descriptor_set_out}). */
    private static final String DESCRIPTOR_RESOURCE =
            "/dev/servicehealth/model/wire/service_health_events.desc";

    private StatusTable() {}

    /** The topic the deployed table config consumes. */
    public static String topic() {
        return Topics.DEDUP_STATUS;
    }

    public static JsonNode schema() {
        return Manifests.read(TABLE_NAME + ".schema.json");
    }

    /** The table config as deployed, with the broker and descriptor still placeholders. */
    public static ObjectNode tableConfig() {
        return (ObjectNode) Manifests.read(TABLE_NAME + ".table.json");
    }

    /**
     * The table config for one environment.
     *
     * @param descriptor where the Pinot servers read the compiled event schema (see {@link
     *     #writeDescriptor})
     */
    public static ObjectNode tableConfig(
            String bootstrapServers, String topic, int replicas, Path descriptor) {
        ObjectNode config = tableConfig();
        ObjectNode stream = (ObjectNode) config.path("tableIndexConfig").path("streamConfigs");
        stream.put("stream.kafka.broker.list", bootstrapServers);
        stream.put("stream.kafka.topic.name", topic);
        stream.put("stream.kafka.decoder.prop.descriptorFile", descriptor.toUri().toString());
        ((ObjectNode) config.path("segmentsConfig"))
                .put("replicasPerPartition", Integer.toString(replicas));
        return config;
    }

    /** Writes the compiled event schema to {@code file}, for Pinot servers on this machine. */
    public static Path writeDescriptor(Path file) throws IOException {
        try (InputStream in = StatusTable.class.getResourceAsStream(DESCRIPTOR_RESOURCE)) {
            if (in == null) {
                throw new IOException(DESCRIPTOR_RESOURCE + " missing: build health-model");
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }
}
