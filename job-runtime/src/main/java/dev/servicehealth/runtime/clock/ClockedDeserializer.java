package dev.servicehealth.runtime.clock;

import java.io.IOException;
import java.util.Optional;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads a clocked topic: a clock mark becomes a left value for the split's watermark generator
 * ({@link UpstreamWatermarks}), an event record is decoded by the topic's own deserializer.
 */
public final class ClockedDeserializer<T>
        implements KafkaRecordDeserializationSchema<Either<ClockMark, T>> {
    private static final long serialVersionUID = 1L;

    private final KafkaRecordDeserializationSchema<T> events;

    public ClockedDeserializer(KafkaRecordDeserializationSchema<T> events) {
        this.events = events;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        events.open(context);
    }

    @Override
    public void deserialize(
            ConsumerRecord<byte[], byte[]> record, Collector<Either<ClockMark, T>> out)
            throws IOException {
        Optional<ClockMark> mark = PipelineClock.markOf(record);
        if (mark.isPresent()) {
            out.collect(Either.Left(mark.get()));
            return;
        }
        events.deserialize(
                record,
                new Collector<>() {
                    @Override
                    public void collect(T event) {
                        out.collect(Either.Right(event));
                    }

                    @Override
                    public void close() {}
                });
    }

    @Override
    public TypeInformation<Either<ClockMark, T>> getProducedType() {
        return new EitherTypeInfo<>(TypeInformation.of(ClockMark.class), events.getProducedType());
    }
}
