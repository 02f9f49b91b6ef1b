package dev.servicehealth.runtime.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.Test;

class UpstreamWatermarksTest {
    private final UpstreamWatermarks<String> generator = new UpstreamWatermarks<>();
    private final RecordingOutput output = new RecordingOutput();

    @Test
    void holdsThePartitionUntilEveryWriterHasMarkedItThenFollowsTheLowest() {
        mark(0, 2, 5_000);
        event("an event's clock does not move the partition");
        assertThat(output.watermarks).as("writer 1 has not said how far it is").isEmpty();

        mark(1, 2, 3_000);
        assertThat(output.watermarks).containsExactly(3_000L);

        mark(1, 2, 9_000);
        assertThat(output.watermarks).containsExactly(3_000L, 5_000L);
        mark(0, 2, 4_000);
        assertThat(output.watermarks)
                .as("a writer's marks never go back")
                .containsExactly(3_000L, 5_000L);
    }

    @Test
    void anIdleWriterDoesNotHoldThePartitionAndAllIdleMakesItIdle() {
        mark(0, 2, 5_000);
        idle(1, 2);
        assertThat(output.watermarks).containsExactly(5_000L);

        idle(0, 2);
        assertThat(output.idle).isTrue();

        mark(1, 2, 7_000);
        assertThat(output.idle).isFalse();
        assertThat(output.watermarks).containsExactly(5_000L, 7_000L);
    }

    @Test
    void marksOfAnotherParallelismStartTheSetOfWritersAfresh() {
        mark(0, 1, 5_000);
        assertThat(output.watermarks).containsExactly(5_000L);

        mark(0, 2, 6_000);
        assertThat(output.watermarks)
                .as("rescaled to two writers: the second has not marked yet")
                .containsExactly(5_000L);
        mark(1, 2, 8_000);
        assertThat(output.watermarks).containsExactly(5_000L, 6_000L);
    }

    private void mark(int writer, int writers, long watermark) {
        generator.onEvent(Either.Left(new ClockMark(writer, writers, watermark, false)), 0, output);
        generator.onPeriodicEmit(output);
    }

    private void idle(int writer, int writers) {
        generator.onEvent(
                Either.Left(new ClockMark(writer, writers, Long.MIN_VALUE, true)), 0, output);
        generator.onPeriodicEmit(output);
    }

    private void event(String value) {
        generator.onEvent(Either.Right(value), 99_999, output);
        generator.onPeriodicEmit(output);
    }

    /** What the generator told Flink's split output. */
    private static final class RecordingOutput implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();
        boolean idle;

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
            idle = false;
        }

        @Override
        public void markIdle() {
            idle = true;
        }

        @Override
        public void markActive() {
            idle = false;
        }
    }
}
