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
 * keep their original timestamps, so event-time processing sees the incident as it happened.
 *
 * <p>Guarantees: records are sent in capture order, each once; the sink is flushed before {@link
 * #replay} returns, so the returned counts are durable.
 */
public final class Replayer {

    /** What a replay sent. */
    public record Result(
            long records, Map<String, Long> perTopic, Duration elapsed, boolean stopped) {}

    private final Pacing pacing;
    private final UnaryOperator<String> topicMapping;
    private final long maxRecords;
    private final BooleanSupplier stopRequested;

    /**
     * @param topicMapping captured topic name to the topic to produce to
     * @param maxRecords stop after this many records
     * @param stopRequested polled between records, e.g. set by Ctrl-C
     */
    public Replayer(
            Pacing pacing,
            UnaryOperator<String> topicMapping,
            long maxRecords,
            BooleanSupplier stopRequested) {
        if (maxRecords < 0) {
            throw new IllegalArgumentException("maxRecords: " + maxRecords + " must be >= 0");
        }
        this.pacing = pacing;
        this.topicMapping = topicMapping;
        this.maxRecords = maxRecords;
        this.stopRequested = stopRequested;
    }

    /** Unmapped, unbounded and not stoppable: for tests. */
    public Replayer(Pacing pacing) {
        this(pacing, UnaryOperator.identity(), Long.MAX_VALUE, () -> false);
    }

    public Result replay(Path captureDirectory, RecordSink sink)
            throws IOException, InterruptedException {
        long startNanos = System.nanoTime();
        Pacer pacer = new Pacer(pacing, stopRequested);
        long sent = 0;
        boolean stopped = false;
        try (CaptureReader reader = CaptureReader.open(captureDirectory)) {
            while (sent < maxRecords && reader.hasNext()) {
                CapturedRecord record = reader.next();
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
                sent, perTopic, Duration.ofNanos(System.nanoTime() - startNanos), stopped);
    }
}
