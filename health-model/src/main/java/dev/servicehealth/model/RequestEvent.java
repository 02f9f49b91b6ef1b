package dev.servicehealth.model;

import java.util.Objects;

/**
 * A canonical request event: one API gateway request or one auth-service operation, parsed,
 * enriched with the tenant tier and the endpoint's product and service, and tokenized.
 *
 * <p>The clear tenant id is never part of this type. Absent latencies are {@code NaN}; gateway
 * events carry no auth outcome ({@code null}), auth events carry no HTTP status ({@code 0}).
 */
public record RequestEvent(
        RequestSource source,
        String requestId,
        String tenantToken,
        TenantTier tenantTier,
        Region region,
        String availabilityZone,
        String product,
        String service,
        String endpoint,
        int httpStatus,
        double latencyMs,
        long bytesOut,
        String userAgent,
        long eventTimeMs,
        long ingestTimeMs,
        AuthOutcome authOutcome,
        double tokenMintLatencyMs,
        String dependency) {

    /** The zone of requests whose line named none. */
    public static final String UNREPORTED_ZONE = "unreported";

    public RequestEvent {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(tenantToken, "tenantToken");
        Objects.requireNonNull(tenantTier, "tenantTier");
        Objects.requireNonNull(region, "region");
    }

    /**
     * The availability zone as KPIs are grouped by it: {@link #UNREPORTED_ZONE} when the line did
     * not name one, so those requests stay visible as their own zone instead of vanishing.
     */
    public String zone() {
        return availabilityZone == null || availabilityZone.isEmpty()
                ? UNREPORTED_ZONE
                : availabilityZone;
    }

    /**
     * The identity used for de-duplication and as the Kafka key: a gateway line and an auth line of
     * the same request share a request_id but are different events.
     */
    public String dedupKey() {
        return source.name() + ":" + requestId;
    }
}
