package dev.servicehealth.ingest.normalize;

import dev.servicehealth.ingest.reference.ReferenceFeed;
import dev.servicehealth.model.TenantTier;
import dev.servicehealth.model.privacy.TenantTokenizer;
import dev.servicehealth.model.reference.EndpointInfo;
import java.util.Optional;

/**
 * Adds reference data to parsed lines: the tenant's tier and token, the endpoint's template,
 * product and service. Unknown tenants and endpoints are kept (they are real traffic) under tier
 * UNKNOWN and endpoint {@value #OTHER_ENDPOINT}, and counted by the caller.
 */
final class Enricher {
    static final String OTHER_ENDPOINT = "other";
    static final String UNMAPPED = "unmapped";

    private final ReferenceFeed reference;
    private final TenantTokenizer tokenizer;

    Enricher(ReferenceFeed reference, TenantTokenizer tokenizer) {
        this.reference = reference;
        this.tokenizer = tokenizer;
    }

    TenantTier tierOf(String tenantId) {
        return reference.current().tierOf(tenantId);
    }

    String tokenOf(String tenantId) {
        return tokenizer.token(tenantId);
    }

    Optional<EndpointInfo> endpoint(String rawPath) {
        return reference.current().resolve(rawPath);
    }

    static EndpointInfo unmapped() {
        return new EndpointInfo(OTHER_ENDPOINT, UNMAPPED, UNMAPPED);
    }
}
