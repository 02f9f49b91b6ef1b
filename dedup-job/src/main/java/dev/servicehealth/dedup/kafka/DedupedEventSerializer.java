package dev.servicehealth.dedup.kafka;

import dev.servicehealth.dedup.NormalizedEvent;
import dev.servicehealth.model.EventKind;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a first copy to the deduplicated topic of its kind, byte for byte as it was read, with the
 * same key and the same clock as its Kafka timestamp. Kafka's partitioner hashes the key (the
 * request id, not the tenant), so every partition, and every aggregator subtask after it, gets an
 * even share.
 */
public final class DedupedEventSerializer
        implements KafkaRecordSerializationSchema<NormalizedEvent> {
    private static final long serialVersionUID = 1L;

    private final EnumMap<EventKind, String> topics;

    public DedupedEventSerializer(Map<EventKind, String> topics) {
        this.topics = new EnumMap<>(topics);
        for (EventKind kind : EventKind.values()) {
            if (!this.topics.containsKey(kind)) {
                throw new IllegalArgumentException("no deduplicated topic for " + kind);
            }
        }
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            NormalizedEvent event, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topics.get(event.kind()), null, event.clockMs(), event.key(), event.value());
    }
}
