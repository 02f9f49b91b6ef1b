package dev.servicehealth.simulator;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * Sends a capture directory (see {@link CaptureReader}) to a sink at its original pace, faster, or
 * as fast as possible: how an engineer reproduces a recorded incident against the pipeline. Records
 * keep their original timestamps, so event-time processing sees the incident as it happened; or,
 * shifted to now ({@link TimeShift#toNow}), as if it happened now, order and lateness kept.
 *
 * <p>Guarantees: records are sent in capture order, each once; the sink is flushed before {@link
 * #replay} returns, so the returned counts are durable.
 */
public final class Replayer {

    /** What a replay sent. */
    public record Result(
            long records,
            Map<String, Long> perTopic,
            Duration elapsed,
            boolean stopped,
            TimeShift shift) {}

    private final Pacing pacing;
    private final UnaryOperator<String> topicMapping;
    private final long maxRecords;
    private final BooleanSupplier stopRequested;
    private final boolean shiftToNow;

    /**
     * @param topicMapping captured topic name to the topic to produce to
     * @param maxRecords stop after this many records
     * @param stopRequested polled between records, e.g. set by Ctrl-C
     * @param shiftToNow move every record by one whole-minute offset so the capture ends as the
     *     replay ends ({@link TimeShift#toNow})
     */
    public Replayer(
            Pacing pacing,
            UnaryOperator<String> topicMapping,
            long maxRecords,
            BooleanSupplier stopRequested,
            boolean shiftToNow) {
        if (maxRecords < 0) {
            throw new IllegalArgumentException("maxRecords: " + maxRecords + " must be >= 0");
        }
        this.pacing = pacing;
        this.topicMapping = topicMapping;
        this.maxRecords = maxRecords;
        this.stopRequested = stopRequested;
        this.shiftToNow = shiftToNow;
    }

    /** Unmapped, unbounded, not stoppable and not shifted: for tests. */
    public Replayer(Pacing pacing) {
        this(pacing, UnaryOperator.identity(), Long.MAX_VALUE, () -> false, false);
    }

    public Result replay(Path captureDirectory, RecordSink sink)
            throws IOException, InterruptedException {
        TimeShift shift = shiftToNow ? shiftToNow(captureDirectory) : TimeShift.none();
        long startNanos = System.nanoTime();
        Pacer pacer = new Pacer(pacing, stopRequested);
        long sent = 0;
        boolean stopped = false;
        try (CaptureReader reader = CaptureReader.open(captureDirectory)) {
            while (sent < maxRecords && reader.hasNext()) {
                CapturedRecord record = shift.apply(reader.next());
                if (!pacer.await(record.timestampMs())) {
                    stopped = true;
                    break;
                }
                sink.send(
                        new CapturedRecord(
                                topicMapping.apply(record.topic()),
                                record.key(),
                                record.value(),
                                record.timestampMs()));
                sent++;
            }
        }
        Map<String, Long> perTopic = sink.flush();
        return new Result(
                sent, perTopic, Duration.ofNanos(System.nanoTime() - startNanos), stopped, shift);
    }

    /** The shift that ends the capture (its first to last record, as many as are sent) now. */
    private TimeShift shiftToNow(Path captureDirectory) throws IOException {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long read = 0;
        try (CaptureReader reader = CaptureReader.open(captureDirectory)) {
            while (read < maxRecords && reader.hasNext()) {
                long timestamp = reader.next().timestampMs();
                first = Math.min(first, timestamp);
                last = Math.max(last, timestamp);
                read++;
            }
        }
        return read == 0
                ? TimeShift.none()
                : TimeShift.toNow(first, last, pacing, System.currentTimeMillis());
    }
}
