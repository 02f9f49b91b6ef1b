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
 * The append-only Pinot tables, as written in {@code deploy/pinot/<table>.*.json}: each record of
 * their topic is one fact, read as it is, so no job has to write a second copy. Exactly once holds
 * because the topics are written in transactions and read {@code read_committed}.
 */
public enum EventLogTable {
    /**
     * Deploys, feature flags and incident tickets from the deduplicated status topic, protobuf
     * decoded with the compiled schema of the event model.
     */
    STATUS_EVENTS("status_events", Topics.DEDUP_STATUS, true),
    /**
     * Dead letters of the normalizer, protobuf decoded: where they came from and why, without the
     * original bytes or the detail, which may hold clear tenant ids and stay in the restricted
     * dead-letter topic.
     */
    DEAD_LETTERS("dead_letters", Topics.DEAD_LETTER_INGEST, true),
    /**
     * What reached its window after the lateness bound, one record per grain and contribution: not
     * in the live KPIs, to be repaired by a backfill.
     */
    TOO_LATE_EVENTS("too_late_events", Topics.KPI_TOO_LATE, false),
    /**
     * The normalizer's schema-drift report: per source and producer, the new fields, renames, type
     * changes and endpoints outside the catalog it counted, one record per change and report.
     */
    SCHEMA_DRIFT("schema_drift", Topics.SCHEMA_DRIFT, false);

    /** The placeholder for the compiled event schema's location in the deployed table configs. */
    public static final String DESCRIPTOR_PLACEHOLDER = "${EVENT_SCHEMA_DESCRIPTOR}";

    /** The compiled event schema in health-model's jar ({@code protoc --descriptor_set_out}). */
    private static final String DESCRIPTOR_RESOURCE =
            "/dev/servicehealth/model/wire/service_health_events.desc";

    private final String tableName;
    private final String topic;
    private final boolean protobuf;

    EventLogTable(String tableName, String topic, boolean protobuf) {
        this.tableName = tableName;
        this.topic = topic;
        this.protobuf = protobuf;
    }

    public String tableName() {
        return tableName;
    }

    /** The topic the deployed table config consumes. */
    public String topic() {
        return topic;
    }

    /** Whether the table decodes its topic with the compiled event schema. */
    public boolean protobuf() {
        return protobuf;
    }

    public JsonNode schema() {
        return Manifests.read(tableName + ".schema.json");
    }

    /** The table config as deployed, with the broker and descriptor still placeholders. */
    public ObjectNode tableConfig() {
        return (ObjectNode) Manifests.read(tableName + ".table.json");
    }

    /**
     * The table config for one environment.
     *
     * @param descriptor where the Pinot servers read the compiled event schema (see {@link
     *     #writeDescriptor}); unused by tables that read JSON
     */
    public ObjectNode tableConfig(
            String bootstrapServers, String topic, int replicas, Path descriptor) {
        ObjectNode config = Manifests.tableConfig(tableName, bootstrapServers, topic, replicas);
        if (protobuf) {
            Manifests.streamConfigs(config)
                    .put("stream.kafka.decoder.prop.descriptorFile", descriptor.toUri().toString());
        }
        return config;
    }

    /** Writes the compiled event schema to {@code file}, for Pinot servers on this machine. */
    public static Path writeDescriptor(Path file) throws IOException {
        try (InputStream in = EventLogTable.class.getResourceAsStream(DESCRIPTOR_RESOURCE)) {
            if (in == null) {
                throw new IOException(DESCRIPTOR_RESOURCE + " missing: build health-model");
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }
}
