package dev.servicehealth.runtime.clock;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * How event-time progress crosses a Kafka hop between two of our jobs (decision 0009). A clocked
 * topic carries, besides its events, clock marks: records without key, with an empty value, whose
 * one header says how far one writer has come. Kafka keeps a partition in write order and each
 * writer writes its mark after the records it covers, so a reader that takes the lowest mark of all
 * writers per partition, and Flink the lowest of all partitions and channels, has a watermark no
 * record still to come can fall behind. The Kafka timestamp of an event record is its clock: the
 * watermark of the raw partition it came from as the normalizer read it, so whether it is late does
 * not depend on how fast any job read.
 */
public final class PipelineClock {
    /** The header that makes a record a clock mark. */
    public static final String MARK_HEADER = "service-health.clock-mark";

    /**
     * The event time of an event record, beside its value, for a job that never decodes one (the
     * dedup job): eight bytes, big-endian epoch milliseconds.
     */
    public static final String EVENT_TIME_HEADER = "event-time";

    private static final int MARK_BYTES = 4 + 4 + 8 + 1;
    private static final byte[] EMPTY = new byte[0];

    private PipelineClock() {}

    /** The mark a record carries, or empty for an event record. */
    public static Optional<ClockMark> markOf(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(MARK_HEADER);
        if (header == null) {
            return Optional.empty();
        }
        byte[] bytes = header.value();
        if (bytes == null || bytes.length != MARK_BYTES) {
            throw new IllegalArgumentException(
                    "clock mark at "
                            + record.topic()
                            + "-"
                            + record.partition()
                            + "@"
                            + record.offset()
                            + " has "
                            + (bytes == null ? "no" : bytes.length)
                            + " bytes, expected "
                            + MARK_BYTES);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return Optional.of(
                new ClockMark(
                        buffer.getInt(), buffer.getInt(), buffer.getLong(), buffer.get() != 0));
    }

    public static Header eventTimeHeader(long eventTimeMs) {
        return new RecordHeader(
                EVENT_TIME_HEADER, ByteBuffer.allocate(Long.BYTES).putLong(eventTimeMs).array());
    }

    /** The event time a record's header carries, or {@link Long#MIN_VALUE} without one. */
    public static long eventTimeOf(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(EVENT_TIME_HEADER);
        return header == null || header.value() == null || header.value().length != Long.BYTES
                ? Long.MIN_VALUE
                : ByteBuffer.wrap(header.value()).getLong();
    }

    /** The record that writes {@code mark} into one partition. */
    public static ProducerRecord<byte[], byte[]> markRecord(AddressedMark addressed) {
        ClockMark mark = addressed.mark();
        byte[] bytes =
                ByteBuffer.allocate(MARK_BYTES)
                        .putInt(mark.writer())
                        .putInt(mark.writers())
                        .putLong(mark.watermarkMs())
                        .put((byte) (mark.idle() ? 1 : 0))
                        .array();
        return new ProducerRecord<>(
                addressed.topic(),
                addressed.partition(),
                null,
                null,
                EMPTY,
                List.<Header>of(new RecordHeader(MARK_HEADER, bytes)));
    }
}
