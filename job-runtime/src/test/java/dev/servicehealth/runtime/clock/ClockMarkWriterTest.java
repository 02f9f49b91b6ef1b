package dev.servicehealth.runtime.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.types.Either;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ClockMarkWriterTest {
    private static final List<TopicPartition> PARTITIONS =
            List.of(new TopicPartition("requests", 0), new TopicPartition("requests", 1));

    @Test
    void writesTheWatermarkIntoEveryPartitionAfterTheRecordsItCoversAtMostOncePerInterval()
            throws Exception {
        try (var harness = harness()) {
            harness.setProcessingTime(0);
            harness.processElement("event", 1_000);
            harness.processWatermark(new Watermark(5_000));
            harness.processWatermark(new Watermark(6_000));
            assertThat(marks(harness)).as("not before the interval").isEmpty();

            harness.setProcessingTime(1_000);
            assertThat(marks(harness))
                    .containsExactly(
                            new AddressedMark("requests", 0, new ClockMark(0, 1, 6_000, false)),
                            new AddressedMark("requests", 1, new ClockMark(0, 1, 6_000, false)));
            assertThat(harness.extractOutputValues().get(0))
                    .as("the event first, unchanged")
                    .isEqualTo(Either.Left("event"));

            harness.setProcessingTime(2_000);
            assertThat(marks(harness))
                    .as("again, unchanged, for a reader that starts now")
                    .hasSize(4)
                    .extracting(m -> m.mark().watermarkMs())
                    .containsOnly(6_000L);
        }
    }

    @Test
    void anIdleInputIsWrittenAtOnceAndTheEndOfInputToo() throws Exception {
        try (var harness = harness()) {
            harness.processWatermarkStatus(WatermarkStatus.IDLE);
            assertThat(marks(harness)).extracting(m -> m.mark().idle()).containsExactly(true, true);

            harness.processWatermark(Watermark.MAX_WATERMARK);
            assertThat(marks(harness))
                    .extracting(m -> m.mark().watermarkMs())
                    .endsWith(Long.MAX_VALUE, Long.MAX_VALUE);
        }
    }

    private static OneInputStreamOperatorTestHarness<String, Either<String, AddressedMark>>
            harness() throws Exception {
        var harness =
                new OneInputStreamOperatorTestHarness<>(
                        new ClockMarkWriter<String>(() -> PARTITIONS, Duration.ofSeconds(1)),
                        Types.STRING.createSerializer(new SerializerConfigImpl()));
        harness.setup(
                ClockMarkWriter.outputType(Types.STRING)
                        .createSerializer(new SerializerConfigImpl()));
        harness.open();
        return harness;
    }

    private static List<AddressedMark> marks(
            OneInputStreamOperatorTestHarness<String, Either<String, AddressedMark>> harness) {
        return harness.getOutput().stream()
                .filter(StreamRecord.class::isInstance)
                .map(r -> ((StreamRecord<Either<String, AddressedMark>>) r).getValue())
                .filter(Either::isRight)
                .map(Either::right)
                .toList();
    }
}
