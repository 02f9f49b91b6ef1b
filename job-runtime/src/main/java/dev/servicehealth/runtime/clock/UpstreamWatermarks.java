package dev.servicehealth.runtime.clock;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.types.Either;
import org.apache.flink.util.clock.RelativeClock;

/**
 * The watermark of one partition of a clocked topic: the lowest mark of its upstream writers, once
 * every writer has written one; idle when every writer says it is idle. Until then the partition
 * holds its reader back, which is what keeps a stopped upstream job from making everything
 * downstream of it late. Event records do not move it: their clock is the upstream's.
 *
 * <p>Only the main output of a subtask without a split, which a Kafka source never emits through,
 * goes idle on its own, once it has seen nothing for {@link #QUIET_BEFORE_IDLE}: a job with more
 * subtasks than partitions leaves some without a partition to read. A split output never does:
 * however long its writers take to commit their first marks (jobs started together on a loaded
 * machine), it holds its reader back until they have, or the splits marked first would carry the
 * clock past the others' backlog.
 */
public final class UpstreamWatermarks<T> implements WatermarkGenerator<Either<ClockMark, T>> {
    static final Duration QUIET_BEFORE_IDLE = Duration.ofSeconds(30);

    private final boolean mainOutput;
    private final BooleanSupplier subtaskHasSplits;
    private final RelativeClock clock;
    private final long createdNanos;
    private boolean seenAnything;
    private int writers = -1;
    private long[] marks = new long[0];
    private boolean[] idle = new boolean[0];
    private long emitted = Long.MIN_VALUE;

    /**
     * @param mainOutput whether this is the subtask's main output, not a split's
     * @param subtaskHasSplits whether the subtask has been given a split: a main output only goes
     *     idle while it has none, since Flink counts a split output that has no watermark yet as
     *     idle, and a main output gone idle beside it would make the whole subtask idle
     */
    UpstreamWatermarks(boolean mainOutput, BooleanSupplier subtaskHasSplits, RelativeClock clock) {
        this.mainOutput = mainOutput;
        this.subtaskHasSplits = subtaskHasSplits;
        this.clock = clock;
        this.createdNanos = clock.relativeTimeNanos();
    }

    /** Per split: Kafka sources make one generator per partition, after the main output's. */
    public static <T> WatermarkStrategy<Either<ClockMark, T>> strategy() {
        return new PerSubtask<>();
    }

    /**
     * A subtask's generators: Flink creates the main output's first, when the reader starts, and
     * then one per split it is given (each subtask deserializes its own strategy). For a source's
     * own watermarks only: given to {@code assignTimestampsAndWatermarks}, every generator would be
     * taken for a main output.
     */
    private static final class PerSubtask<T> implements WatermarkStrategy<Either<ClockMark, T>> {
        private static final long serialVersionUID = 1L;

        private transient int created;

        @Override
        public WatermarkGenerator<Either<ClockMark, T>> createWatermarkGenerator(
                WatermarkGeneratorSupplier.Context context) {
            boolean main = created++ == 0;
            return new UpstreamWatermarks<>(
                    main, () -> created > 1, context.getInputActivityClock());
        }
    }

    @Override
    public void onEvent(Either<ClockMark, T> record, long timestamp, WatermarkOutput output) {
        seenAnything = true;
        if (record.isLeft()) {
            observe(record.left());
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (writers < 0) {
            if (mainOutput && subtaskHasSplits.getAsBoolean()) {
                // the subtask's splits hold it back now, so the main output must not idle it
                output.markActive();
            } else if (mainOutput
                    && !seenAnything
                    && clock.relativeTimeNanos() - createdNanos >= QUIET_BEFORE_IDLE.toNanos()) {
                output.markIdle();
            }
            return;
        }
        long lowest = Long.MAX_VALUE;
        boolean allIdle = true;
        for (int w = 0; w < writers; w++) {
            if (idle[w]) {
                continue;
            }
            allIdle = false;
            lowest = Math.min(lowest, marks[w]);
        }
        if (allIdle) {
            output.markIdle();
            return;
        }
        if (lowest > emitted) {
            emitted = lowest;
            output.emitWatermark(new Watermark(lowest));
        } else {
            output.markActive();
        }
    }

    private void observe(ClockMark mark) {
        if (mark.writers() != writers) {
            // the upstream job was rescaled: its old subtasks wrote their last marks before the
            // first of the new ones, so only the new set counts from here
            writers = mark.writers();
            marks = new long[writers];
            Arrays.fill(marks, Long.MIN_VALUE);
            idle = new boolean[writers];
        }
        int w = mark.writer();
        idle[w] = mark.idle();
        if (!mark.idle()) {
            marks[w] = Math.max(marks[w], mark.watermarkMs());
        }
    }
}
