package dev.servicehealth.model.catalog;

import dev.servicehealth.model.RequestEvent;
import java.io.Serializable;
import java.util.function.ToLongFunction;

/**
 * An additive KPI: what one request event contributes to it (0 or 1 for counts, bytes for sums).
 * Additive KPIs merge across windows and dimensions by summing.
 */
public record CounterKpi(String name, String unit, String definition, Contribution contribution)
        implements Serializable {

    /** Serializable, as the counter is, so that Flink operators can hold the catalog. */
    @FunctionalInterface
    public interface Contribution extends ToLongFunction<RequestEvent>, Serializable {}

    public long of(RequestEvent event) {
        return contribution.applyAsLong(event);
    }
}
