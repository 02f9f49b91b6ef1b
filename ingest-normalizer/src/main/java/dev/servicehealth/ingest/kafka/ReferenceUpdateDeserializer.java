package dev.servicehealth.ingest.kafka;

import dev.servicehealth.ingest.reference.ReferenceUpdate;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads the compacted reference topic: UTF-8 key and value; a tombstone becomes a removal. */
public final class ReferenceUpdateDeserializer
        implements KafkaRecordDeserializationSchema<ReferenceUpdate> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ReferenceUpdate> out) {
        out.collect(
                new ReferenceUpdate(
                        record.key() == null
                                ? null
                                : new String(record.key(), StandardCharsets.UTF_8),
                        record.value() == null
                                ? null
                                : new String(record.value(), StandardCharsets.UTF_8)));
    }

    @Override
    public TypeInformation<ReferenceUpdate> getProducedType() {
        return TypeInformation.of(ReferenceUpdate.class);
    }
}
