package dev.servicehealth.ingest.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.servicehealth.ingest.normalize.SchemaDrift;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes schema-drift report lines as JSON (the {@code schema_drift} Pinot table reads them as they
 * are), keyed by the change they count, stamped with their report time.
 */
public final class SchemaDriftSerializer implements KafkaRecordSerializationSchema<SchemaDrift> {
    private static final long serialVersionUID = 1L;
    private static final JsonFactory JSON = new JsonFactory();

    private final String topic;

    public SchemaDriftSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            SchemaDrift drift, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic,
                null,
                drift.reportedAtMs(),
                drift.key().getBytes(StandardCharsets.UTF_8),
                json(drift));
    }

    /** The JSON of one report line, as the topic holds it. */
    public static byte[] json(SchemaDrift drift) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("source", drift.source());
            json.writeStringField("producer", drift.producer());
            json.writeStringField("kind", drift.kind());
            json.writeStringField("name", drift.name());
            json.writeNumberField("drift_count", drift.count());
            json.writeNumberField("first_seen_ms", drift.firstSeenMs());
            json.writeNumberField("last_seen_ms", drift.lastSeenMs());
            json.writeNumberField("reported_at_ms", drift.reportedAtMs());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
