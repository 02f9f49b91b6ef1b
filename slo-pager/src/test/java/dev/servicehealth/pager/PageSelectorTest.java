package dev.servicehealth.pager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.model.catalog.BurnRateRule;
import dev.servicehealth.model.pager.AlertState;
import dev.servicehealth.model.pager.ScopeLevel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PageSelectorTest {
    private static final String AUTH = "auth_availability.premium";
    private static final String AVAILABILITY = "availability.standard";

    @Test
    void aRegionalOutageThatAlsoTripsTheFleetAndItsServicePagesTheRegionOnce() {
        List<SloAlert> burns =
                List.of(
                        burn(AUTH, ScopeLevel.GLOBAL, "all", 100, 370),
                        burn(AUTH, ScopeLevel.REGION, "EMEA", 100, 125),
                        burn(AUTH, ScopeLevel.ZONE, "EMEA/emea-1a", 34, 42),
                        burn(AUTH, ScopeLevel.ZONE, "EMEA/emea-1b", 33, 41),
                        burn(AUTH, ScopeLevel.ZONE, "EMEA/emea-1c", 33, 42),
                        burn(AUTH, ScopeLevel.SERVICE, "identity", 100, 370),
                        burn(AUTH, ScopeLevel.TENANT, "EMEA/tok-1", 10, 12),
                        burn(AVAILABILITY, ScopeLevel.REGION, "EMEA", 60, 500),
                        burn(AVAILABILITY, ScopeLevel.ZONE, "EMEA/emea-1b", 20, 166));

        assertThat(pages(burns))
                .singleElement()
                .satisfies(
                        page -> {
                            assertThat(page.level()).isEqualTo(ScopeLevel.REGION);
                            assertThat(page.scope()).isEqualTo("EMEA");
                            assertThat(page.own())
                                    .extracting(SloAlert::slo)
                                    .containsExactlyInAnyOrder(AUTH, AVAILABILITY);
                            assertThat(page.covered()).hasSize(7);
                        });
    }

    @Test
    void aBadDeployOfOneServiceThatTripsEveryRegionPagesTheService() {
        List<SloAlert> burns =
                List.of(
                        burn(AVAILABILITY, ScopeLevel.GLOBAL, "all", 250, 3_150),
                        burn(AVAILABILITY, ScopeLevel.REGION, "EMEA", 85, 1_100),
                        burn(AVAILABILITY, ScopeLevel.REGION, "NA", 80, 1_050),
                        burn(AVAILABILITY, ScopeLevel.REGION, "APAC", 85, 1_000),
                        burn(AVAILABILITY, ScopeLevel.SERVICE, "checkout", 250, 1_000));

        assertThat(pages(burns))
                .singleElement()
                .satisfies(
                        page -> {
                            assertThat(page.level()).isEqualTo(ScopeLevel.SERVICE);
                            assertThat(page.scope()).isEqualTo("checkout");
                            assertThat(page.covered()).hasSize(4);
                        });
        assertThat(pages(burns.subList(1, 5)))
                .as("before the fleet trips, each region hands its page to the service")
                .singleElement()
                .satisfies(page -> assertThat(page.scope()).isEqualTo("checkout"));
    }

    @Test
    void anOutageEverywherePagesTheFleetAndTwoUnrelatedRegionsPageEach() {
        assertThat(
                        pages(
                                List.of(
                                        burn(AVAILABILITY, ScopeLevel.GLOBAL, "all", 900, 1_000),
                                        burn(AVAILABILITY, ScopeLevel.REGION, "EMEA", 300, 333),
                                        burn(AVAILABILITY, ScopeLevel.REGION, "NA", 300, 333),
                                        burn(AVAILABILITY, ScopeLevel.ZONE, "NA/na-1a", 100, 111))))
                .singleElement()
                .satisfies(
                        page -> {
                            assertThat(page.level()).isEqualTo(ScopeLevel.GLOBAL);
                            assertThat(page.covered()).hasSize(3);
                        });
        assertThat(
                        pages(
                                List.of(
                                        burn(AVAILABILITY, ScopeLevel.REGION, "EMEA", 300, 333),
                                        burn(AVAILABILITY, ScopeLevel.REGION, "NA", 40, 333))))
                .extracting(Page::scope)
                .containsExactlyInAnyOrder("EMEA", "NA");
    }

    @Test
    void aSilentFleetIsOneTicketWhateverItsObjectivesAndZones() {
        List<SloAlert> silences =
                List.of(
                        silence(AUTH, ScopeLevel.GLOBAL, "all"),
                        silence(AVAILABILITY, ScopeLevel.GLOBAL, "all"),
                        silence(AVAILABILITY, ScopeLevel.REGION, "EMEA"),
                        silence(AVAILABILITY, ScopeLevel.ZONE, "EMEA/emea-1a"));
        assertThat(pages(silences))
                .singleElement()
                .satisfies(
                        page -> {
                            assertThat(page.level()).isEqualTo(ScopeLevel.GLOBAL);
                            assertThat(page.own()).hasSize(2);
                            assertThat(page.covered()).hasSize(2);
                        });
    }

    /** A scope that pages: its own burns (one per objective) and the burns it speaks for. */
    private record Page(
            ScopeLevel level, String scope, List<SloAlert> own, List<SloAlert> covered) {}

    /** The burns grouped by the scope {@link PageSelector#targets} chose to page for each. */
    private static List<Page> pages(List<SloAlert> burns) {
        Map<String, PageSelector.Scope> targets = PageSelector.targets(burns);
        Map<PageSelector.Scope, List<SloAlert>> own = new LinkedHashMap<>();
        Map<PageSelector.Scope, List<SloAlert>> covered = new HashMap<>();
        for (SloAlert burn : burns) {
            PageSelector.Scope page = targets.get(burn.alertKey());
            (page.equals(PageSelector.Scope.of(burn)) ? own : covered)
                    .computeIfAbsent(page, k -> new ArrayList<>())
                    .add(burn);
        }
        List<Page> pages = new ArrayList<>();
        own.forEach(
                (scope, burnsOfScope) ->
                        pages.add(
                                new Page(
                                        scope.level(),
                                        scope.value(),
                                        burnsOfScope,
                                        covered.getOrDefault(scope, List.of()))));
        return pages;
    }

    static SloAlert burn(String slo, ScopeLevel level, String scope, long bad, long total) {
        return new SloAlert(
                slo,
                level,
                scope,
                BurnRateRule.Severity.PAGE,
                AlertState.FIRING,
                "fast",
                1_000,
                2_000,
                100,
                100,
                total,
                -1,
                bad,
                total,
                1_500,
                true);
    }

    private static SloAlert silence(String slo, ScopeLevel level, String scope) {
        return new SloAlert(
                slo,
                level,
                scope,
                BurnRateRule.Severity.TICKET,
                AlertState.DATA_MISSING,
                SloAlert.DATA_MISSING_PAIR,
                1_000,
                1_000,
                Double.NaN,
                Double.NaN,
                0,
                Double.NaN,
                0,
                0,
                1_000,
                true);
    }
}
