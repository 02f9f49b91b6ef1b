package dev.servicehealth.runtime.clock;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.types.Either;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes events with the topic's own serializer and clock marks as {@link PipelineClock} says. */
public final class ClockedSerializer<T>
        implements KafkaRecordSerializationSchema<Either<T, AddressedMark>> {
    private static final long serialVersionUID = 1L;

    private final KafkaRecordSerializationSchema<T> events;

    public ClockedSerializer(KafkaRecordSerializationSchema<T> events) {
        this.events = events;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext)
            throws Exception {
        events.open(context, sinkContext);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            Either<T, AddressedMark> element, KafkaSinkContext context, Long timestamp) {
        return element.isLeft()
                ? events.serialize(element.left(), context, timestamp)
                : PipelineClock.markRecord(element.right());
    }
}
