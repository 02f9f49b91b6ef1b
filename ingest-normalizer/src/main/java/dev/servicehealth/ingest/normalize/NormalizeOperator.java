package dev.servicehealth.ingest.normalize;

import dev.servicehealth.runtime.PeriodicTimer;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Runs the {@link RawRecordNormalizer} and, once a second of processing time, what it must do
 * whether records arrive or not: the schema-drift report that has come due, and naming the raw
 * partitions that went idle. A non-keyed process function cannot set timers; without this a source
 * that went quiet would keep its last drift counts and its idle partitions to itself.
 */
public final class NormalizeOperator extends ProcessOperator<RawRecord, NormalizedRecord> {
    private static final long serialVersionUID = 1L;
    private static final long TICK_MS = 1_000;

    private final RawRecordNormalizer normalizer;
    private transient long watermark;

    public NormalizeOperator(RawRecordNormalizer normalizer) {
        super(normalizer);
        this.normalizer = normalizer;
    }

    @Override
    public void open() throws Exception {
        super.open();
        watermark = Long.MIN_VALUE;
        PeriodicTimer.every(getProcessingTimeService(), TICK_MS, this::tick);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = mark.getTimestamp();
        super.processWatermark(mark);
    }

    private void tick(long time) {
        for (SchemaDrift line : normalizer.tick(time, watermark)) {
            output.collect(RawRecordNormalizer.SCHEMA_DRIFT, new StreamRecord<>(line));
        }
    }
}
