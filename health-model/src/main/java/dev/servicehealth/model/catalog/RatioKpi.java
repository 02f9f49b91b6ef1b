package dev.servicehealth.model.catalog;

/**
 * A KPI computed from two counters at query time (sum of numerators over sum of denominators),
 * never stored pre-divided, so it stays correct over any time range or dimension set.
 */
public record RatioKpi(
        String name, String definition, CounterKpi numerator, CounterKpi denominator) {}
