package dev.servicehealth.pager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.servicehealth.model.AuthOutcome;
import dev.servicehealth.model.Region;
import dev.servicehealth.model.RequestEvents;
import dev.servicehealth.model.TenantTier;
import dev.servicehealth.model.catalog.SloCatalog;
import dev.servicehealth.model.pager.ScopeLevel;
import dev.servicehealth.model.reference.ReferenceData;
import org.junit.jupiter.api.Test;

class SloScopesTest {
    private static final SloScopes SCOPES =
            new SloScopes(SloCatalog.of(ReferenceData.bundled().sloTargets()));

    @Test
    void aPremiumRequestCountsInEveryScopeOfItsTiersRequestObjectives() {
        var event =
                RequestEvents.gateway()
                        .status(503)
                        .latency(120)
                        .tenant("tok-1", TenantTier.PREMIUM)
                        .region(Region.EMEA)
                        .zone("emea-1b")
                        .service("identity")
                        .build();
        assertThat(SCOPES.countsOf(event))
                .extracting(
                        SloCount::slo,
                        SloCount::level,
                        SloCount::scope,
                        SloCount::good,
                        SloCount::bad)
                .contains(
                        tuple("availability.premium", ScopeLevel.GLOBAL, "all", 0L, 1L),
                        tuple("availability.premium", ScopeLevel.REGION, "EMEA", 0L, 1L),
                        tuple("availability.premium", ScopeLevel.ZONE, "EMEA/emea-1b", 0L, 1L),
                        tuple("availability.premium", ScopeLevel.SERVICE, "identity", 0L, 1L),
                        tuple("availability.premium", ScopeLevel.TENANT, "EMEA/tok-1", 0L, 1L),
                        tuple("latency_p95.premium", ScopeLevel.REGION, "EMEA", 1L, 0L),
                        tuple("latency_p99.premium", ScopeLevel.TENANT, "EMEA/tok-1", 1L, 0L))
                .hasSize(15);
        assertThat(SCOPES.countsOf(event))
                .filteredOn(c -> c.bad() == 1)
                .allSatisfy(c -> assertThat(c.firstBadMs()).isEqualTo(event.eventTimeMs()));
    }

    @Test
    void otherTiersHaveNoTenantScopeAndAnEventWithoutAServiceNoServiceScope() {
        var event =
                RequestEvents.auth(AuthOutcome.TIMEOUT)
                        .tenant("tok-2", TenantTier.FREE)
                        .region(Region.NA)
                        .build();
        assertThat(SCOPES.countsOf(event))
                .extracting(SloCount::slo, SloCount::level, SloCount::scope, SloCount::bad)
                .containsExactly(
                        tuple("auth_availability.free", ScopeLevel.GLOBAL, "all", 1L),
                        tuple("auth_availability.free", ScopeLevel.REGION, "NA", 1L),
                        tuple("auth_availability.free", ScopeLevel.ZONE, "NA/unreported", 1L));
    }
}
