package dev.servicehealth.model.reference;

import dev.servicehealth.model.TenantTier;
import java.io.InputStream;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Tenant id (clear, restricted) to tier. Tenants missing from the directory are {@code UNKNOWN}.
 */
public final class TenantDirectory implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, TenantTier> tiers;

    public TenantDirectory(Map<String, TenantTier> tiers) {
        this.tiers = new HashMap<>(tiers);
    }

    static TenantDirectory read(String name, InputStream in) {
        CsvTable table = CsvTable.read(name, in);
        Map<String, TenantTier> tiers = new HashMap<>();
        for (Map<String, String> row : table.rows()) {
            String tier = table.require(row, "tier");
            tiers.put(
                    table.require(row, "tenant_id"),
                    TenantTier.parse(tier)
                            .orElseThrow(
                                    () -> new IllegalArgumentException(name + ": tier " + tier)));
        }
        return new TenantDirectory(tiers);
    }

    public TenantTier tierOf(String tenantId) {
        return tiers.getOrDefault(tenantId, TenantTier.UNKNOWN);
    }

    public Map<String, TenantTier> all() {
        return Map.copyOf(tiers);
    }
}
