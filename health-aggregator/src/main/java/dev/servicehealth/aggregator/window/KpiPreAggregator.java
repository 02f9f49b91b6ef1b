package dev.servicehealth.aggregator.window;

import dev.servicehealth.aggregator.kpi.KpiAggregate;
import dev.servicehealth.aggregator.kpi.KpiKey;
import dev.servicehealth.aggregator.kpi.KpiKeyFields;
import dev.servicehealth.aggregator.kpi.KpiPartial;
import dev.servicehealth.model.EventTimePolicy;
import dev.servicehealth.model.catalog.PipelineMetric;
import dev.servicehealth.runtime.BundlingOperator;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
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
 *
 * <p>An event whose clock (the record timestamp: its raw partition's watermark when it was read)
 * had passed its window's end plus the lateness is too late whatever the watermark here says
 * ({@link EventTimePolicy#isTooLate}, decision 0009): it goes into a partial of its own, marked too
 * late, so the answer does not depend on how far the other partitions had been read.
 */
public abstract class KpiPreAggregator<E> extends BundlingOperator<E, KpiPartial> {
    private static final long serialVersionUID = 1L;

    private final String input;
    private final int maxRows;
    private final long allowedLatenessMs;

    private transient Map<KpiKeyFields, KpiAggregate> bundle;
    private transient Map<KpiKeyFields, KpiAggregate> tooLateBundle;
    private transient boolean contributingTooLate;
    private transient DistributionSummary watermarkLag;

    /**
     * @param input what the events are, for the watermark lag meter's {@code input} tag
     */
    protected KpiPreAggregator(
            String input, Duration flushInterval, int maxRows, Duration allowedLateness) {
        super(flushInterval);
        this.input = input;
        this.maxRows = maxRows;
        this.allowedLatenessMs = allowedLateness.toMillis();
    }

    /** Adds the event to the rows it contributes to, through {@link #row(KpiKeyFields)}. */
    protected abstract void contribute(E event);

    /** The event time that places the event in its window. */
    protected abstract long eventTimeMs(E event);

    /** The bundled aggregate of a row, created empty on first use. */
    protected final KpiAggregate row(KpiKeyFields key) {
        Map<KpiKeyFields, KpiAggregate> rows = contributingTooLate ? tooLateBundle : bundle;
        KpiAggregate aggregate = rows.get(key);
        if (aggregate == null) {
            aggregate = KpiAggregate.empty(key.grain());
            rows.put(key, aggregate);
        }
        return aggregate;
    }

    @Override
    public void open() throws Exception {
        super.open();
        bundle = new HashMap<>();
        tooLateBundle = new HashMap<>();
        watermarkLag =
                DistributionSummary.builder(PipelineMetric.AGGREGATOR_WATERMARK_LAG.meterName())
                        .description(PipelineMetric.AGGREGATOR_WATERMARK_LAG.description())
                        .baseUnit("milliseconds")
                        .tag("input", input)
                        .serviceLevelObjectives(PipelineMetric.lagBucketsMs())
                        .register(Metrics.globalRegistry);
    }

    @Override
    public void processElement(StreamRecord<E> element) {
        E event = element.getValue();
        contributingTooLate =
                element.hasTimestamp()
                        && EventTimePolicy.isTooLate(
                                eventTimeMs(event), element.getTimestamp(), allowedLatenessMs);
        contribute(event);
        if (bundle.size() + tooLateBundle.size() >= maxRows) {
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
    protected void flush() {
        for (Map.Entry<KpiKeyFields, KpiAggregate> row : bundle.entrySet()) {
            send(row.getKey().key(), row.getValue(), false);
        }
        bundle.clear();
        for (Map.Entry<KpiKeyFields, KpiAggregate> row : tooLateBundle.entrySet()) {
            send(row.getKey().key(), row.getValue(), true);
        }
        tooLateBundle.clear();
    }

    private void flushClosedBy(long watermark) {
        Iterator<Map.Entry<KpiKeyFields, KpiAggregate>> rows = bundle.entrySet().iterator();
        while (rows.hasNext()) {
            Map.Entry<KpiKeyFields, KpiAggregate> row = rows.next();
            if (KpiKey.windowMaxTimestamp(row.getKey().windowStartMs()) <= watermark) {
                send(row.getKey().key(), row.getValue(), false);
                rows.remove();
            }
        }
    }

    private void send(KpiKey key, KpiAggregate aggregate, boolean tooLate) {
        output.collect(
                new StreamRecord<>(
                        KpiPartial.of(key, aggregate, tooLate), key.windowMaxTimestamp()));
    }
}
