package dev.servicehealth.model.catalog;

import java.util.List;

/** A saturation signal taken from a Prometheus gauge, aggregated per region and service. */
public record SaturationKpi(
        String name, String metricName, String unit, String definition, List<String> aggregates) {

    /** The column of one of its aggregates: queue_depth and max → queue_depth_max. */
    public String column(String aggregate) {
        return name + "_" + aggregate;
    }
}
