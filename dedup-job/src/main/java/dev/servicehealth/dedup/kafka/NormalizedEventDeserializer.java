package dev.servicehealth.dedup.kafka;

import dev.servicehealth.dedup.NormalizedEvent;
import dev.servicehealth.model.EventKind;
import dev.servicehealth.runtime.clock.PipelineClock;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads a record of a normalized topic without decoding it: the kind comes from the topic, the
 * identity is hashed from the key here, once, so neither the shuffle nor the state sees the text.
 */
public final class NormalizedEventDeserializer
        implements KafkaRecordDeserializationSchema<NormalizedEvent> {
    private static final long serialVersionUID = 1L;
    private static final byte[] EMPTY = new byte[0];

    private final HashMap<String, EventKind> kindByTopic;

    public NormalizedEventDeserializer(Map<String, EventKind> kindByTopic) {
        this.kindByTopic = new HashMap<>(kindByTopic);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<NormalizedEvent> out) {
        EventKind kind = kindByTopic.get(record.topic());
        if (kind == null) {
            throw new IllegalStateException("record from unexpected topic " + record.topic());
        }
        byte[] value = record.value() == null ? EMPTY : record.value();
        out.collect(
                NormalizedEvent.of(
                        kind,
                        record.key(),
                        value,
                        PipelineClock.eventTimeOf(record),
                        record.timestamp()));
    }

    @Override
    public TypeInformation<NormalizedEvent> getProducedType() {
        return TypeInformation.of(NormalizedEvent.class);
    }
}
