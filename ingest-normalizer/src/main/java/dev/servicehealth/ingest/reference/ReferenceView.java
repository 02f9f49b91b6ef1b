package dev.servicehealth.ingest.reference;

import dev.servicehealth.model.TenantTier;
import dev.servicehealth.model.reference.EndpointInfo;
import dev.servicehealth.model.reference.ServiceCatalog;
import dev.servicehealth.model.reference.TenantDirectory;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of the reference data the normalizer enriches with: the seeds, overridden
 * by the updates received so far. Safe to share between the thread that reads updates and the task
 * thread; lookups cost what they cost on the seeds.
 */
public final class ReferenceView {
    private final TenantDirectory seedTenants;
    private final Map<String, TenantTier> tierOverrides;
    private final ServiceCatalog catalog;

    ReferenceView(
            TenantDirectory seedTenants,
            Map<String, TenantTier> tierOverrides,
            ServiceCatalog catalog) {
        this.seedTenants = seedTenants;
        this.tierOverrides = Map.copyOf(tierOverrides);
        this.catalog = catalog;
    }

    public TenantTier tierOf(String tenantId) {
        TenantTier override = tierOverrides.get(tenantId);
        return override != null ? override : seedTenants.tierOf(tenantId);
    }

    public Optional<EndpointInfo> resolve(String rawPath) {
        return catalog.resolve(rawPath);
    }

    /** See {@link ServiceCatalog#endpointOf}. */
    public EndpointInfo endpointOf(String rawPath) {
        return catalog.endpointOf(rawPath);
    }
}
