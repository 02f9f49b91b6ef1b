package dev.servicehealth.simulator;

import dev.servicehealth.model.AuthOutcome;
import dev.servicehealth.model.Region;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.RequestSource;
import dev.servicehealth.model.TenantTier;

/**
 * One distinct request event as the simulator meant it, in clear: what the normalizer must produce
 * for it (up to tokenization) however its line was spelled, and how late it was emitted.
 *
 * @param path the raw path as sent (with ids and query string); auth lines without an endpoint
 *     carry the data model's default
 * @param endpoint the endpoint the pipeline counts it under: the catalog template with its API
 *     version in one spelling, or for a path outside the catalog the path with ids as {@code {id}}
 * @param httpStatus 0 for auth events
 * @param latencyMs {@code NaN} when the line carries none (gateway only)
 * @param bytesOut 0 when the line carries none
 * @param authOutcome {@code null} for gateway events
 * @param tokenMintLatencyMs {@code NaN} when absent (always for gateway events)
 * @param dependency {@code null} when absent
 * @param eventTimeMs exactly as the line's timestamp denotes it
 * @param emissionTimeMs the Kafka timestamp of the first record carrying this event
 */
public record LogicalRequest(
        RequestSource source,
        String requestId,
        String tenantId,
        TenantTier tenantTier,
        Region region,
        String availabilityZone,
        String path,
        String endpoint,
        String product,
        String service,
        int httpStatus,
        double latencyMs,
        long bytesOut,
        String userAgent,
        AuthOutcome authOutcome,
        double tokenMintLatencyMs,
        String dependency,
        long eventTimeMs,
        long emissionTimeMs,
        Lateness lateness) {

    public RequestKey key() {
        return new RequestKey(source, requestId);
    }

    /** The canonical event with the given token in place of the clear tenant id. */
    public RequestEvent toRequestEvent(String tenantToken, long ingestTimeMs) {
        return new RequestEvent(
                source,
                requestId,
                tenantToken,
                tenantTier,
                region,
                availabilityZone,
                product,
                service,
                endpoint,
                httpStatus,
                latencyMs,
                bytesOut,
                userAgent,
                eventTimeMs,
                ingestTimeMs,
                authOutcome,
                tokenMintLatencyMs,
                dependency);
    }
}
