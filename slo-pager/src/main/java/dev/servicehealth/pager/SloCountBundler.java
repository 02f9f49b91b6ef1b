package dev.servicehealth.pager;

import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.catalog.PipelineMetric;
import dev.servicehealth.runtime.BundlingOperator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Sums what the events add to each objective and scope per ten-second bucket before the shuffle,
 * chained to the source: the fleet's scope then receives one count per bucket and subtask each
 * flush, not fifteen records per event. Flushed every {@code flushInterval}, when the bundle holds
 * {@code maxCounts}, before every checkpoint barrier (so the bundle needs no state: what was not
 * flushed is read again from the source after a restore), at the end of the input, and, for the
 * buckets it closes, before a watermark.
 */
public final class SloCountBundler extends BundlingOperator<RequestEvent, SloCount> {
    private static final long serialVersionUID = 1L;

    private final SloScopes scopes;
    private final int maxCounts;

    private transient Map<String, SloCount> bundle;
    private transient Counter events;

    public SloCountBundler(SloScopes scopes, Duration flushInterval, int maxCounts) {
        super(flushInterval);
        this.scopes = scopes;
        this.maxCounts = maxCounts;
    }

    @Override
    public void open() throws Exception {
        super.open();
        bundle = new HashMap<>();
        events =
                Counter.builder(PipelineMetric.PAGER_EVENTS.meterName())
                        .description(PipelineMetric.PAGER_EVENTS.description())
                        .register(Metrics.globalRegistry);
    }

    @Override
    public void processElement(StreamRecord<RequestEvent> element) {
        events.increment();
        for (SloCount count : scopes.countsOf(element.getValue())) {
            String bucket =
                    count.key()
                            + "@"
                            + Math.floorDiv(count.eventTimeMs(), ScopeBurnState.FINE_BUCKET_MS);
            bundle.merge(bucket, count, SloCount::plus);
        }
        if (bundle.size() >= maxCounts) {
            flush();
        }
    }

    /**
     * The counts of the buckets a watermark closes go before it, so that whoever decides as the
     * watermark passes a bucket has all of it; on a backlog the watermark outruns the flush.
     */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        Iterator<SloCount> counts = bundle.values().iterator();
        while (counts.hasNext()) {
            SloCount count = counts.next();
            long bucket = ScopeBurnState.FINE_BUCKET_MS;
            if ((Math.floorDiv(count.eventTimeMs(), bucket) + 1) * bucket - 1
                    <= mark.getTimestamp()) {
                output.collect(new StreamRecord<>(count, count.eventTimeMs()));
                counts.remove();
            }
        }
        super.processWatermark(mark);
    }

    @Override
    protected void flush() {
        for (SloCount count : bundle.values()) {
            output.collect(new StreamRecord<>(count, count.eventTimeMs()));
        }
        bundle.clear();
    }
}
