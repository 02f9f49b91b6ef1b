package dev.servicehealth.backfill;

import dev.servicehealth.dedup.NormalizedEvent;
import dev.servicehealth.model.EventTimePolicy;
import dev.servicehealth.model.catalog.PipelineMetric;
import dev.servicehealth.runtime.PipelineMeterRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.Serializable;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * The first copies whose windows the backfill recomputes, decoded for the aggregator, counted, and
 * counted again when the stream had found them too late by their clock. Copies outside the range
 * were read only so that the dedup knew them.
 */
final class RangeEvents<E> extends RichFlatMapFunction<NormalizedEvent, E> {
    private static final long serialVersionUID = 1L;

    private final BackfillRange range;
    private final long allowedLatenessMs;
    private final int metricsPort;
    private final String metricsBindAddress;
    private final Decoder<E> decoder;

    private transient MeterRegistry registry;
    private transient Counter events;
    private transient Counter beyondLateness;

    RangeEvents(
            BackfillRange range,
            long allowedLatenessMs,
            int metricsPort,
            String metricsBindAddress,
            Decoder<E> decoder) {
        this.range = range;
        this.allowedLatenessMs = allowedLatenessMs;
        this.metricsPort = metricsPort;
        this.metricsBindAddress = metricsBindAddress;
        this.decoder = decoder;
    }

    @Override
    public void open(OpenContext context) {
        registry = PipelineMeterRegistry.forJob("backfill", metricsPort, metricsBindAddress);
    }

    @Override
    public void flatMap(NormalizedEvent event, Collector<E> out) {
        if (!range.contains(event.eventTimeMs())) {
            return;
        }
        if (events == null) {
            // one kind per instance: the lane's
            String kind = event.kind().tag();
            events =
                    Counter.builder(PipelineMetric.BACKFILL_EVENTS.meterName())
                            .description(PipelineMetric.BACKFILL_EVENTS.description())
                            .tag("kind", kind)
                            .register(registry);
            beyondLateness =
                    Counter.builder(PipelineMetric.BACKFILL_EVENTS_BEYOND_LATENESS.meterName())
                            .description(
                                    PipelineMetric.BACKFILL_EVENTS_BEYOND_LATENESS.description())
                            .tag("kind", kind)
                            .register(registry);
        }
        events.increment();
        if (EventTimePolicy.isTooLate(event.eventTimeMs(), event.clockMs(), allowedLatenessMs)) {
            beyondLateness.increment();
        }
        out.collect(decoder.decode(event.value()));
    }

    /** How the kind's wire bytes decode. */
    interface Decoder<E> extends Serializable {
        E decode(byte[] value);
    }
}
