package dev.servicehealth.aggregator.window;

import dev.servicehealth.aggregator.kpi.KpiAggregate;
import dev.servicehealth.aggregator.kpi.KpiKey;
import dev.servicehealth.aggregator.kpi.KpiKeyFields;
import dev.servicehealth.aggregator.kpi.KpiPartial;
import dev.servicehealth.model.catalog.PipelineMetric;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Combines events into one partial per KPI row before the shuffle, chained to the source: a hot
 * tenant or endpoint then sends each window subtask one record per flush, not one per event, so
 * skew never pins a subtask. The partials are flushed every {@code flushInterval}, when the bundle
 * reaches {@code maxRows}, and before every checkpoint barrier (so the bundle needs no state: what
 * is not flushed is re-read from the source after a restore). Before a watermark, the rows of the
 * windows it closes are flushed, so the windows see each event before the watermark it preceded and
 * only late events are late; rows of windows still open stay in the bundle.
 */
public abstract class KpiPreAggregator<E> extends AbstractStreamOperator<KpiPartial>
        implements OneInputStreamOperator<E, KpiPartial>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    private final String input;
    private final long flushIntervalMs;
    private final int maxRows;

    private transient Map<KpiKeyFields, KpiAggregate> bundle;
    private transient DistributionSummary watermarkLag;

    /**
     * @param input what the events are, for the watermark lag meter's {@code input} tag
     */
    protected KpiPreAggregator(String input, Duration flushInterval, int maxRows) {
        this.input = input;
        this.flushIntervalMs = flushInterval.toMillis();
        this.maxRows = maxRows;
    }

    /** Adds the event to the rows it contributes to, through {@link #row(KpiKeyFields)}. */
    protected abstract void contribute(E event);

    /** The bundled aggregate of a row, created empty on first use. */
    protected final KpiAggregate row(KpiKeyFields key) {
        KpiAggregate aggregate = bundle.get(key);
        if (aggregate == null) {
            aggregate = KpiAggregate.empty(key.grain());
            bundle.put(key, aggregate);
        }
        return aggregate;
    }

    @Override
    public void open() throws Exception {
        super.open();
        bundle = new HashMap<>();
        watermarkLag =
                DistributionSummary.builder(PipelineMetric.AGGREGATOR_WATERMARK_LAG.meterName())
                        .description(PipelineMetric.AGGREGATOR_WATERMARK_LAG.description())
                        .baseUnit("milliseconds")
                        .tag("input", input)
                        .serviceLevelObjectives(PipelineMetric.lagBucketsMs())
                        .register(Metrics.globalRegistry);
        scheduleFlush();
    }

    @Override
    public void processElement(StreamRecord<E> element) {
        contribute(element.getValue());
        if (bundle.size() >= maxRows) {
            flush();
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() > 0 && mark.getTimestamp() < Long.MAX_VALUE) {
            watermarkLag.record(
                    getProcessingTimeService().getCurrentProcessingTime() - mark.getTimestamp());
        }
        flushClosedBy(mark.getTimestamp());
        super.processWatermark(mark);
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

    private void scheduleFlush() {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        getProcessingTimeService()
                .registerTimer(
                        (now / flushIntervalMs + 1) * flushIntervalMs,
                        time -> {
                            flush();
                            scheduleFlush();
                        });
    }

    private void flush() {
        if (bundle.isEmpty()) {
            return;
        }
        for (Map.Entry<KpiKeyFields, KpiAggregate> row : bundle.entrySet()) {
            send(row.getKey().key(), row.getValue());
        }
        bundle.clear();
    }

    private void flushClosedBy(long watermark) {
        Iterator<Map.Entry<KpiKeyFields, KpiAggregate>> rows = bundle.entrySet().iterator();
        while (rows.hasNext()) {
            Map.Entry<KpiKeyFields, KpiAggregate> row = rows.next();
            if (KpiKey.windowMaxTimestamp(row.getKey().windowStartMs()) <= watermark) {
                send(row.getKey().key(), row.getValue());
                rows.remove();
            }
        }
    }

    private void send(KpiKey key, KpiAggregate aggregate) {
        output.collect(new StreamRecord<>(KpiPartial.of(key, aggregate), key.windowMaxTimestamp()));
    }
}
