package dev.servicehealth.runtime.clock;

import java.time.Duration;
import java.util.Arrays;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.types.Either;

/**
 * The watermark of one partition of a clocked topic: the lowest mark of its upstream writers, once
 * every writer has written one; idle when every writer says it is idle. Until then the partition
 * holds its reader back, which is what keeps a stopped upstream job from making everything
 * downstream of it late. Event records do not move it: their clock is the upstream's.
 *
 * <p>Only an output that has seen nothing at all for {@link #QUIET_BEFORE_IDLE} goes idle on its
 * own: a source subtask with more subtasks than partitions has no partition to read, and its
 * writers, which write every partition, would have marked one by then.
 */
public final class UpstreamWatermarks<T> implements WatermarkGenerator<Either<ClockMark, T>> {
    static final Duration QUIET_BEFORE_IDLE = Duration.ofSeconds(30);

    private final long createdNanos = System.nanoTime();
    private boolean seenAnything;
    private int writers = -1;
    private long[] marks = new long[0];
    private boolean[] idle = new boolean[0];
    private long emitted = Long.MIN_VALUE;

    /** Per split: Kafka sources make one generator per partition. */
    public static <T> WatermarkStrategy<Either<ClockMark, T>> strategy() {
        return context -> new UpstreamWatermarks<>();
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
            if (!seenAnything && System.nanoTime() - createdNanos >= QUIET_BEFORE_IDLE.toNanos()) {
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
