package dev.servicehealth.simulator;

import dev.servicehealth.model.Region;
import dev.servicehealth.model.TenantTier;

/**
 * The service grain of the KPI oracle: a 1-minute event-time window and the dimensions the
 * aggregator groups by.
 *
 * @param windowStartMs event time floored to the minute
 * @param endpoint the endpoint the pipeline counts the request under (see {@link
 *     LogicalRequest#endpoint()})
 */
public record OracleKey(
        long windowStartMs,
        Region region,
        String availabilityZone,
        String product,
        String service,
        String endpoint,
        TenantTier tenantTier) {}
