package dev.servicehealth.ingest.normalize;

import dev.servicehealth.ingest.parse.DriftKind;
import dev.servicehealth.ingest.reference.ReferenceFeed;
import dev.servicehealth.model.TenantTier;
import dev.servicehealth.model.privacy.TenantTokenizer;
import dev.servicehealth.model.reference.EndpointInfo;
import dev.servicehealth.model.reference.EndpointPaths;

/**
 * Adds reference data to parsed lines: the tenant's tier and token, the endpoint's template,
 * product and service. Unknown tenants and endpoints are kept (they are real traffic) and counted:
 * an unknown tenant under tier UNKNOWN; a path outside the catalog under the endpoint derived from
 * it ({@link EndpointPaths#derive}) with product and service unmapped, or under {@value
 * #OTHER_ENDPOINT} once its source has made too many new endpoints in the minute ({@link
 * EndpointGuard}).
 */
final class Enricher {
    static final String OTHER_ENDPOINT = "other";
    private static final EndpointInfo OTHER = EndpointInfo.unmapped(OTHER_ENDPOINT);

    private final ReferenceFeed reference;
    private final TenantTokenizer tokenizer;
    private final EndpointGuard guard;
    private final NormalizerMetrics metrics;
    private final SchemaDriftTracker drift;

    Enricher(
            ReferenceFeed reference,
            TenantTokenizer tokenizer,
            EndpointGuard guard,
            NormalizerMetrics metrics,
            SchemaDriftTracker drift) {
        this.reference = reference;
        this.tokenizer = tokenizer;
        this.guard = guard;
        this.metrics = metrics;
        this.drift = drift;
    }

    TenantTier tierOf(String tenantId) {
        return reference.current().tierOf(tenantId);
    }

    String tokenOf(String tenantId) {
        return tokenizer.token(tenantId);
    }

    /**
     * The endpoint of a request or status event from {@code source} at {@code eventTimeMs}; a path
     * outside the catalog is also reported as drift of its {@code producer}.
     */
    EndpointInfo endpoint(
            SourceKind source,
            String producer,
            String rawPath,
            long eventTimeMs,
            long ingestTimeMs) {
        EndpointInfo endpoint = reference.current().endpointOf(rawPath);
        if (endpoint.catalogued()) {
            return endpoint;
        }
        metrics.unmappedEndpoint(source);
        if (guard.admit(source, eventTimeMs, endpoint.template())) {
            drift.observe(
                    source,
                    producer,
                    DriftKind.UNMAPPED_ENDPOINT,
                    endpoint.template(),
                    ingestTimeMs);
            return endpoint;
        }
        metrics.foldedEndpoint(source);
        drift.observe(source, producer, DriftKind.UNMAPPED_ENDPOINT, OTHER_ENDPOINT, ingestTimeMs);
        return OTHER;
    }
}
