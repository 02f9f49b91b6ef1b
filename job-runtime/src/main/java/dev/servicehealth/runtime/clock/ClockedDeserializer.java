package dev.servicehealth.runtime.clock;

import dev.servicehealth.model.catalog.PipelineMetric;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import java.io.IOException;
import java.util.Optional;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a clocked topic: a clock mark becomes a left value for the split's watermark generator
 * ({@link UpstreamWatermarks}), an event record is decoded by the topic's own deserializer.
 */
public final class ClockedDeserializer<T>
        implements KafkaRecordDeserializationSchema<Either<ClockMark, T>> {
    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(ClockedDeserializer.class);

    private final KafkaRecordDeserializationSchema<T> events;

    private transient RightCollector<T> eventsOut;
    private transient Counter unreadableMarks;

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
        Optional<ClockMark> mark;
        try {
            mark = PipelineClock.markOf(record);
        } catch (IllegalArgumentException unreadable) {
            // skipped: a writer's next mark, a second later, says the same
            if (unreadableMarks == null) {
                unreadableMarks =
                        Counter.builder(PipelineMetric.CLOCK_MARKS_UNREADABLE.meterName())
                                .description(PipelineMetric.CLOCK_MARKS_UNREADABLE.description())
                                .register(Metrics.globalRegistry);
            }
            unreadableMarks.increment();
            LOG.error("skipped: {}", unreadable.getMessage());
            return;
        }
        if (mark.isPresent()) {
            out.collect(Either.Left(mark.get()));
            return;
        }
        if (eventsOut == null) {
            eventsOut = new RightCollector<>();
        }
        eventsOut.out = out;
        events.deserialize(record, eventsOut);
    }

    @Override
    public TypeInformation<Either<ClockMark, T>> getProducedType() {
        return new EitherTypeInfo<>(TypeInformation.of(ClockMark.class), events.getProducedType());
    }

    /** Hands the topic's events on as right values, one instance per reader. */
    private static final class RightCollector<T> implements Collector<T> {
        Collector<Either<ClockMark, T>> out;

        @Override
        public void collect(T event) {
            out.collect(Either.Right(event));
        }

        @Override
        public void close() {}
    }
}
