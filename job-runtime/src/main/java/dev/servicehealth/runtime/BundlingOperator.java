package dev.servicehealth.runtime;

import java.time.Duration;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;

/**
 * An operator that sums its input into a bundle before the shuffle, chained to the source, so a hot
 * key sends one record per flush instead of one per event. The bundle is sent every {@code
 * flushInterval} (whether records arrive or not), before every checkpoint barrier, so it needs no
 * state (what was not sent is read again from the source after a restore), and at the end of the
 * input. What else sends it (a full bundle, a watermark) is the subclass's.
 */
public abstract class BundlingOperator<I, O> extends AbstractStreamOperator<O>
        implements OneInputStreamOperator<I, O>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private final long flushIntervalMs;

    protected BundlingOperator(Duration flushInterval) {
        this.flushIntervalMs = flushInterval.toMillis();
    }

    /** Sends the bundle and empties it. */
    protected abstract void flush();

    @Override
    public void open() throws Exception {
        super.open();
        PeriodicTimer.every(getProcessingTimeService(), flushIntervalMs, time -> flush());
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void endInput() {
        flush();
    }
}
