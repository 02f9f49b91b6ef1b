package dev.servicehealth.runtime.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class PipelineClockTest {

    @Test
    void aMarkReadsBackAsItWasWrittenIntoItsPartition() {
        ProducerRecord<byte[], byte[]> written =
                PipelineClock.markRecord(
                        new AddressedMark(
                                "dedup.requests",
                                2,
                                new ClockMark(1, 3, 1_795_341_600_000L, false)));
        assertThat(written.topic()).isEqualTo("dedup.requests");
        assertThat(written.partition()).isEqualTo(2);
        assertThat(written.key()).isNull();

        assertThat(PipelineClock.markOf(read(written)))
                .contains(new ClockMark(1, 3, 1_795_341_600_000L, false));
    }

    @Test
    void anEventRecordIsNoMarkAndCarriesItsEventTimeInAHeader() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(PipelineClock.eventTimeHeader(1_795_341_612_345L));
        ConsumerRecord<byte[], byte[]> event = consumed(headers);

        assertThat(PipelineClock.markOf(event)).isEqualTo(Optional.empty());
        assertThat(PipelineClock.eventTimeOf(event)).isEqualTo(1_795_341_612_345L);
        assertThat(PipelineClock.eventTimeOf(consumed(new RecordHeaders())))
                .isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void aMarkOfTheWrongSizeNamesWhereItIs() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader(PipelineClock.MARK_HEADER, new byte[] {1, 2}));
        assertThatThrownBy(() -> PipelineClock.markOf(consumed(headers)))
                .hasMessageContaining("t-0@7")
                .hasMessageContaining("2 bytes");
    }

    private static ConsumerRecord<byte[], byte[]> read(ProducerRecord<byte[], byte[]> written) {
        RecordHeaders headers = new RecordHeaders(written.headers().toArray());
        return new ConsumerRecord<>(
                written.topic(),
                written.partition(),
                7,
                0L,
                TimestampType.CREATE_TIME,
                0,
                written.value().length,
                written.key(),
                written.value(),
                headers,
                Optional.empty());
    }

    private static ConsumerRecord<byte[], byte[]> consumed(RecordHeaders headers) {
        return new ConsumerRecord<>(
                "t",
                0,
                7,
                0L,
                TimestampType.CREATE_TIME,
                0,
                1,
                null,
                new byte[] {1},
                headers,
                Optional.empty());
    }
}
