package dev.servicehealth.model.catalog;

import java.util.List;

/** A saturation signal taken from a Prometheus gauge, aggregated per region and service. */
public record SaturationKpi(
        String name, String metricName, String unit, String definition, List<String> aggregates) {}
