package dev.servicehealth.model.catalog;

import java.util.List;

/** A set of dimensions KPIs are aggregated over, with the one-minute event-time window first. */
public enum Grain {
    SERVICE(
            "service health for dashboards and SLA views",
            List.of(
                    "window_start",
                    "region",
                    "availability_zone",
                    "product",
                    "service",
                    "endpoint",
                    "tenant_tier")),
    DRILLDOWN(
            "one tenant's endpoints during an incident (short retention)",
            List.of("window_start", "tenant_token", "endpoint", "region", "tenant_tier")),
    SATURATION(
            "saturation signals from metric samples", List.of("window_start", "region", "service"));

    private final String purpose;
    private final List<String> dimensions;

    Grain(String purpose, List<String> dimensions) {
        this.purpose = purpose;
        this.dimensions = dimensions;
    }

    public String purpose() {
        return purpose;
    }

    public List<String> dimensions() {
        return dimensions;
    }
}
