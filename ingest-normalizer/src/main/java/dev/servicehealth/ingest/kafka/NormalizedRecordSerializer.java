package dev.servicehealth.ingest.kafka;

import dev.servicehealth.ingest.normalize.NormalizedRecord;
import dev.servicehealth.model.EventKind;
import dev.servicehealth.runtime.clock.PipelineClock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Routes each canonical event to its normalized topic, keyed for the next stage (request events by
 * source and request id) and stamped with its pipeline clock (decision 0009). Kafka's default
 * partitioner hashes the key, so a hot tenant spreads over all partitions.
 */
public final class NormalizedRecordSerializer
        implements KafkaRecordSerializationSchema<NormalizedRecord> {
    private static final long serialVersionUID = 1L;

    private final EnumMap<EventKind, String> topics;

    public NormalizedRecordSerializer(Map<EventKind, String> topics) {
        this.topics = new EnumMap<>(topics);
        for (EventKind kind : EventKind.values()) {
            if (!this.topics.containsKey(kind)) {
                throw new IllegalArgumentException("no topic for " + kind);
            }
        }
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            NormalizedRecord record, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topics.get(record.kind()),
                null,
                record.clockMs(),
                record.key(),
                record.value(),
                List.<Header>of(PipelineClock.eventTimeHeader(record.eventTimeMs())));
    }
}
