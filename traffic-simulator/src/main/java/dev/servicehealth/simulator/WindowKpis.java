package dev.servicehealth.simulator;

import dev.servicehealth.model.catalog.CounterKpi;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The oracle's values for one {@link OracleKey}: every counter of the metric catalog and the raw
 * latencies (sorted ascending), from which a test computes exact percentiles to hold a sketch's
 * error bound against.
 */
public record WindowKpis(
        Map<String, Long> counters, List<Double> latenciesMs, List<Double> tokenMintLatenciesMs) {

    public WindowKpis {
        counters = Collections.unmodifiableMap(counters);
        latenciesMs = List.copyOf(latenciesMs);
        tokenMintLatenciesMs = List.copyOf(tokenMintLatenciesMs);
    }

    /** The counter's value; 0 for a counter no event contributed to. */
    public long counter(String name) {
        return counters.getOrDefault(name, 0L);
    }

    public long counter(CounterKpi kpi) {
        return counter(kpi.name());
    }
}
