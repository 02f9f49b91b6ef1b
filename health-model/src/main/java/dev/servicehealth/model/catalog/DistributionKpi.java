package dev.servicehealth.model.catalog;

import dev.servicehealth.model.RequestEvent;
import java.io.Serializable;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A latency distribution. Its value for an event is {@code NaN} when the event does not count.
 * Percentiles come from a mergeable sketch and are never averaged.
 */
public record DistributionKpi(
        String name, String unit, String definition, List<Double> quantiles, Value value) {

    @FunctionalInterface
    public interface Value extends ToDoubleFunction<RequestEvent>, Serializable {}

    public double of(RequestEvent event) {
        return value.applyAsDouble(event);
    }
}
