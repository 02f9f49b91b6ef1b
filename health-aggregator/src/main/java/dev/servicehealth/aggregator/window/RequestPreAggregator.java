package dev.servicehealth.aggregator.window;

import dev.servicehealth.aggregator.kpi.KpiKeyFields;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.catalog.CounterKpi;
import dev.servicehealth.model.catalog.Grain;
import dev.servicehealth.model.catalog.MetricCatalog;
import java.time.Duration;
import java.util.List;

/** Pre-aggregates request events into the rows of each request grain. */
public final class RequestPreAggregator extends KpiPreAggregator<RequestEvent> {
    private static final long serialVersionUID = 1L;

    private final List<Grain> grains;
    private final List<CounterKpi> counters;

    /**
     * @param counters what each event contributes: {@link MetricCatalog#COUNTERS}, or an older
     *     version of them with the same names in the same order
     */
    public RequestPreAggregator(
            List<Grain> grains,
            Duration flushInterval,
            int maxRows,
            Duration allowedLateness,
            List<CounterKpi> counters) {
        super("requests", flushInterval, maxRows, allowedLateness);
        this.grains = List.copyOf(grains);
        List<String> names = counters.stream().map(CounterKpi::name).toList();
        List<String> catalog = MetricCatalog.COUNTERS.stream().map(CounterKpi::name).toList();
        if (!names.equals(catalog)) {
            throw new IllegalArgumentException(
                    "counter definitions " + names + " are not the catalog's " + catalog);
        }
        this.counters = List.copyOf(counters);
    }

    @Override
    protected long eventTimeMs(RequestEvent event) {
        return event.eventTimeMs();
    }

    @Override
    protected void contribute(RequestEvent event) {
        for (Grain grain : grains) {
            row(KpiKeyFields.of(grain, event)).add(event, counters);
        }
    }
}
