package dev.servicehealth.ingest.reference;

import java.util.Locale;

/**
 * One change of the reference data, as published on the compacted reference topic. The Kafka key
 * names the entry, the value is its new content; a tombstone (no value) removes an override.
 *
 * <ul>
 *   <li>{@code tenant:<tenant id>} → tier name ({@code PREMIUM}, {@code STANDARD}, {@code FREE})
 *   <li>{@code endpoint:<template>} → {@code <product>|<service>}
 * </ul>
 *
 * @param key the entry, e.g. {@code tenant:ACME}
 * @param value the new content, or {@code null} to remove the override
 */
public record ReferenceUpdate(String key, String value) {
    public static final String TENANT_PREFIX = "tenant:";
    public static final String ENDPOINT_PREFIX = "endpoint:";

    public static ReferenceUpdate tenantTier(String tenantId, String tier) {
        return new ReferenceUpdate(
                TENANT_PREFIX + tenantId, tier == null ? null : tier.toUpperCase(Locale.ROOT));
    }

    public static ReferenceUpdate endpoint(String template, String product, String service) {
        return new ReferenceUpdate(
                ENDPOINT_PREFIX + template, product == null ? null : product + "|" + service);
    }

    public boolean isRemoval() {
        return value == null;
    }
}
