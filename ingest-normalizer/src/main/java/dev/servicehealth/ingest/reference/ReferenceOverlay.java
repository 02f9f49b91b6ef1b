package dev.servicehealth.ingest.reference;

import dev.servicehealth.model.TenantTier;
import dev.servicehealth.model.reference.EndpointInfo;
import dev.servicehealth.model.reference.ReferenceData;
import dev.servicehealth.model.reference.ServiceCatalog;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accumulates reference updates (tenant tiers, endpoint mappings) on top of the seeds and hands out
 * immutable {@link ReferenceView}s of the result. The catalog is rebuilt only on the rare endpoint
 * update. Not thread-safe: owned by the one thread that reads the updates.
 */
public final class ReferenceOverlay {
    private final ReferenceData seeds;
    private final Map<String, TenantTier> tierOverrides = new HashMap<>();
    private final Map<String, EndpointInfo> endpointOverrides = new LinkedHashMap<>();
    private ServiceCatalog catalog;

    public ReferenceOverlay(ReferenceData seeds) {
        this.seeds = seeds;
        this.catalog = seeds.serviceCatalog();
    }

    /**
     * Validates and applies one update.
     *
     * @throws IllegalArgumentException naming what is wrong with the update; nothing is applied
     */
    public void apply(ReferenceUpdate update) {
        String key = update.key();
        if (key == null) {
            throw new IllegalArgumentException("reference update without a key");
        }
        if (key.startsWith(ReferenceUpdate.TENANT_PREFIX)) {
            String tenant = requireName(key, ReferenceUpdate.TENANT_PREFIX);
            if (update.isRemoval()) {
                tierOverrides.remove(tenant);
            } else {
                TenantTier tier =
                        TenantTier.parse(update.value())
                                .filter(t -> t != TenantTier.UNKNOWN)
                                .orElseThrow(
                                        () ->
                                                new IllegalArgumentException(
                                                        key + ": tier '" + update.value() + "'"));
                tierOverrides.put(tenant, tier);
            }
        } else if (key.startsWith(ReferenceUpdate.ENDPOINT_PREFIX)) {
            String template = requireName(key, ReferenceUpdate.ENDPOINT_PREFIX);
            if (!template.startsWith("/")) {
                throw new IllegalArgumentException(key + ": an endpoint template starts with /");
            }
            if (update.isRemoval()) {
                endpointOverrides.remove(template);
            } else {
                String[] parts = update.value().split("\\|", -1);
                if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                    throw new IllegalArgumentException(
                            key
                                    + ": value must be '<product>|<service>', got '"
                                    + update.value()
                                    + "'");
                }
                endpointOverrides.put(
                        template, new EndpointInfo(template, parts[0].trim(), parts[1].trim()));
            }
            rebuildCatalog();
        } else {
            throw new IllegalArgumentException("unknown reference entry '" + key + "'");
        }
    }

    /** The seeds with every update applied so far. */
    public ReferenceView view() {
        return new ReferenceView(seeds.tenants(), tierOverrides, catalog);
    }

    private void rebuildCatalog() {
        Map<String, EndpointInfo> merged = new LinkedHashMap<>();
        for (EndpointInfo seed : seeds.serviceCatalog().entries()) {
            merged.put(seed.template(), seed);
        }
        merged.putAll(endpointOverrides);
        catalog = new ServiceCatalog(List.copyOf(merged.values()));
    }

    private static String requireName(String key, String prefix) {
        String name = key.substring(prefix.length()).trim();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("'" + key + "' names nothing");
        }
        return name;
    }
}
