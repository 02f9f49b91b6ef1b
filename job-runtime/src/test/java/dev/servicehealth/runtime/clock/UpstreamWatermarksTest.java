package dev.servicehealth.runtime.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.types.Either;
import org.apache.flink.util.clock.ManualClock;
import org.apache.flink.util.clock.RelativeClock;
import org.junit.jupiter.api.Test;

class UpstreamWatermarksTest {
    private final ManualClock clock = new ManualClock();
    private final UpstreamWatermarks<String> generator =
            new UpstreamWatermarks<>(false, () -> true, clock);
    private final RecordingOutput output = new RecordingOutput();

    @Test
    void aSplitWhoseWritersHaveNotMarkedItYetHoldsItsReaderBackHoweverLong() {
        clock.advanceTime(UpstreamWatermarks.QUIET_BEFORE_IDLE.multipliedBy(10));
        generator.onPeriodicEmit(output);

        assertThat(output.idle)
                .as("its writers are slow to commit, not gone: the other splits must wait")
                .isFalse();
        assertThat(output.watermarks).isEmpty();
        mark(0, 1, 5_000);
        assertThat(output.watermarks).containsExactly(5_000L);
    }

    @Test
    void theMainOutputOfASubtaskWithoutASplitGoesIdleAfterTheQuiet() {
        UpstreamWatermarks<String> main = new UpstreamWatermarks<>(true, () -> false, clock);
        clock.advanceTime(UpstreamWatermarks.QUIET_BEFORE_IDLE.minusMillis(1));
        main.onPeriodicEmit(output);
        assertThat(output.idle).isFalse();

        clock.advanceTime(Duration.ofMillis(1));
        main.onPeriodicEmit(output);
        assertThat(output.idle)
                .as("a subtask without a partition must not hold its job back")
                .isTrue();
    }

    @Test
    void theStrategysMainOutputStaysActiveOnceItsSubtaskHasASplit() {
        WatermarkStrategy<Either<ClockMark, String>> strategy = UpstreamWatermarks.strategy();
        WatermarkGeneratorSupplier.Context context = context(clock);
        UpstreamWatermarks<String> main =
                (UpstreamWatermarks<String>) strategy.createWatermarkGenerator(context);
        clock.advanceTime(UpstreamWatermarks.QUIET_BEFORE_IDLE);
        RecordingOutput mainOutput = new RecordingOutput();
        main.onPeriodicEmit(mainOutput);
        assertThat(mainOutput.idle).as("no split yet: nothing to read").isTrue();

        UpstreamWatermarks<String> split =
                (UpstreamWatermarks<String>) strategy.createWatermarkGenerator(context);
        main.onPeriodicEmit(mainOutput);
        split.onPeriodicEmit(output);
        assertThat(mainOutput.idle)
                .as("Flink takes an unmarked split for idle: an idle main output would idle all")
                .isFalse();
        assertThat(output.idle).isFalse();
    }

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

    private static WatermarkGeneratorSupplier.Context context(RelativeClock clock) {
        return new WatermarkGeneratorSupplier.Context() {
            @Override
            public MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup();
            }

            @Override
            public RelativeClock getInputActivityClock() {
                return clock;
            }
        };
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
