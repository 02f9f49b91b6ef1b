package dev.servicehealth.aggregator.window;

import dev.servicehealth.aggregator.kpi.KpiKeyFields;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.catalog.Grain;
import java.time.Duration;
import java.util.List;

/** Pre-aggregates request events into the rows of each request grain. */
public final class RequestPreAggregator extends KpiPreAggregator<RequestEvent> {
    private static final long serialVersionUID = 1L;

    private final List<Grain> grains;

    public RequestPreAggregator(
            List<Grain> grains, Duration flushInterval, int maxRows, Duration allowedLateness) {
        super("requests", flushInterval, maxRows, allowedLateness);
        this.grains = List.copyOf(grains);
    }

    @Override
    protected long eventTimeMs(RequestEvent event) {
        return event.eventTimeMs();
    }

    @Override
    protected void contribute(RequestEvent event) {
        for (Grain grain : grains) {
            row(KpiKeyFields.of(grain, event)).add(event);
        }
    }
}
