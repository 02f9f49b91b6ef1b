package dev.servicehealth.ingest.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servicehealth.model.TenantTier;
import dev.servicehealth.model.reference.EndpointInfo;
import dev.servicehealth.model.reference.ReferenceData;
import org.junit.jupiter.api.Test;

class ReferenceOverlayTest {
    private final ReferenceOverlay overlay = new ReferenceOverlay(ReferenceData.bundled());

    @Test
    void overridesAndRestoresATenantTier() {
        assertThat(overlay.view().tierOf("ACME")).isEqualTo(TenantTier.PREMIUM);
        overlay.apply(ReferenceUpdate.tenantTier("ACME", "standard"));
        assertThat(overlay.view().tierOf("ACME")).isEqualTo(TenantTier.STANDARD);
        overlay.apply(ReferenceUpdate.tenantTier("ACME", null));
        assertThat(overlay.view().tierOf("ACME")).isEqualTo(TenantTier.PREMIUM);
    }

    @Test
    void givesANewTenantItsTier() {
        assertThat(overlay.view().tierOf("NEWCO")).isEqualTo(TenantTier.UNKNOWN);
        overlay.apply(ReferenceUpdate.tenantTier("NEWCO", "FREE"));
        assertThat(overlay.view().tierOf("NEWCO")).isEqualTo(TenantTier.FREE);
    }

    @Test
    void mapsANewEndpointTemplateAndRemovesIt() {
        assertThat(overlay.view().resolve("/services/billing/v1/invoices/42")).isEmpty();
        overlay.apply(
                ReferenceUpdate.endpoint(
                        "/services/billing/v1/invoices/{id}", "Platform", "billing"));
        assertThat(overlay.view().resolve("/services/billing/v1/invoices/42"))
                .contains(
                        new EndpointInfo(
                                "/services/billing/v1/invoices/{id}", "Platform", "billing"));
        assertThat(overlay.view().resolve("/services/data/v60/query")).isPresent();
        overlay.apply(ReferenceUpdate.endpoint("/services/billing/v1/invoices/{id}", null, null));
        assertThat(overlay.view().resolve("/services/billing/v1/invoices/42")).isEmpty();
    }

    @Test
    void rejectsMalformedUpdatesWithoutApplyingThem() {
        assertThatThrownBy(() -> overlay.apply(new ReferenceUpdate("tenant:ACME", "GOLD")))
                .hasMessageContaining("GOLD");
        assertThatThrownBy(() -> overlay.apply(new ReferenceUpdate("tenant:ACME", "UNKNOWN")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> overlay.apply(new ReferenceUpdate("endpoint:/x", "only-product")))
                .hasMessageContaining("<product>|<service>");
        assertThatThrownBy(() -> overlay.apply(new ReferenceUpdate("colour:blue", "x")))
                .hasMessageContaining("unknown reference entry");
        assertThatThrownBy(() -> overlay.apply(new ReferenceUpdate(null, "x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(overlay.view().tierOf("ACME")).isEqualTo(TenantTier.PREMIUM);
    }
}
