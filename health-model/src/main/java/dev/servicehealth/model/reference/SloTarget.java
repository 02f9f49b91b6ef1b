package dev.servicehealth.model.reference;

import dev.servicehealth.model.TenantTier;

/** Service level objectives of one tenant tier. */
public record SloTarget(
        TenantTier tier,
        double availabilityPct,
        double latencyP95Ms,
        double latencyP99Ms,
        double authFailureRatePct)
        implements java.io.Serializable {}
