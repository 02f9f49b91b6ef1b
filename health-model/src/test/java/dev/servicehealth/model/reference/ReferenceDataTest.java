package dev.servicehealth.model.reference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.model.TenantTier;
import org.junit.jupiter.api.Test;

class ReferenceDataTest {
    private final ReferenceData reference = ReferenceData.bundled();

    @Test
    void resolvesExactAndTemplatedEndpoints() {
        ServiceCatalog catalog = reference.serviceCatalog();
        assertThat(catalog.resolve("/services/data/v60/query?q=SELECT+Id"))
                .get()
                .extracting(EndpointInfo::service)
                .isEqualTo("core-api");
        assertThat(catalog.resolve("/services/apexrest/cases/5003000000D8cuI/"))
                .get()
                .extracting(EndpointInfo::template)
                .isEqualTo("/services/apexrest/cases/{id}");
        assertThat(catalog.resolve("/services/apexrest/cases//"))
                .as("an empty segment is no id: the collection, spelled with one slash too many")
                .get()
                .extracting(EndpointInfo::template)
                .isEqualTo("/services/apexrest/cases");
        assertThat(catalog.resolve("/unknown")).isEmpty();
    }

    @Test
    void knowsTiersAndDefaultsUnknownTenants() {
        assertThat(reference.tenants().tierOf("ACME")).isEqualTo(TenantTier.PREMIUM);
        assertThat(reference.tenants().tierOf("NOBODY")).isEqualTo(TenantTier.UNKNOWN);
    }

    @Test
    void hasSloTargetsForEveryKnownTier() {
        assertThat(reference.sloTargets())
                .containsKeys(TenantTier.PREMIUM, TenantTier.STANDARD, TenantTier.FREE);
        assertThat(reference.sloTargets().get(TenantTier.PREMIUM).availabilityPct())
                .isEqualTo(99.95);
    }
}
