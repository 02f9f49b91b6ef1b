package dev.servicehealth.model.catalog;

import dev.servicehealth.model.RequestEvent;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
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

    /** The column that holds the serialized sketch, in Pinot and in the history tables. */
    public String sketchColumn() {
        return name + "_tdigest";
    }

    /** The column of a precomputed quantile: latency and 0.5 → latency_p50, 0.999 → _p99_9. */
    public String percentileColumn(double q) {
        String digits = String.format(Locale.ROOT, "%.3f", q * 100).replaceAll("0+$", "");
        return name
                + "_p"
                + (digits.endsWith(".") ? digits.substring(0, digits.length() - 1) : digits)
                        .replace('.', '_');
    }
}
