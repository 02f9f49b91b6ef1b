package dev.servicehealth.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.model.Region;
import dev.servicehealth.model.StatusEvent;
import dev.servicehealth.model.StatusKind;
import dev.servicehealth.model.catalog.BurnRateRule;
import dev.servicehealth.model.pager.AlertState;
import dev.servicehealth.model.pager.ScopeLevel;
import dev.servicehealth.model.pager.ScopePage;
import dev.servicehealth.serving.IncidentQuery;
import java.net.URI;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DrillDownTest {
    private static final long STARTS_AT = 1_764_600_000_000L;

    @Test
    void everyCommandOfEveryLevelIsAQueryOfTheCatalogWithItsOptions() {
        StatusEvent deploy =
                new StatusEvent(
                        "d1",
                        StatusKind.DEPLOY,
                        "argo",
                        Region.EMEA,
                        "identity",
                        "",
                        STARTS_AT,
                        "deploy",
                        "identity-2026.11.3",
                        STARTS_AT);
        for (ScopeLevel level : ScopeLevel.values()) {
            for (String command : DrillDown.commands(page(level, "EMEA/x"), List.of(deploy))) {
                List<String> words = Arrays.asList(command.split(" "));
                assertThat(words.get(0)).isEqualTo("./oncall");
                IncidentQuery query =
                        Arrays.stream(IncidentQuery.values())
                                .filter(q -> q.commandName().equals(words.get(1)))
                                .findFirst()
                                .orElseThrow(() -> new AssertionError("no query " + command));
                Set<String> accepted = new HashSet<>(query.parameters());
                query.defaultRange().ifPresent(range -> accepted.add("last"));
                accepted.addAll(
                        query.example().stream()
                                .filter(word -> word.startsWith("--"))
                                .map(word -> word.substring(2))
                                .toList());
                for (String word : words.subList(2, words.size())) {
                    if (word.startsWith("--")) {
                        assertThat(accepted).as(command).contains(word.substring(2));
                    }
                }
            }
        }
    }

    @Test
    void aTenantPageLinksTheTenantDashboardAndOthersTheOverviewFromBeforeTheBurn() {
        URI grafana = URI.create("http://grafana.local:3000/");
        assertThat(DrillDown.dashboard(grafana, page(ScopeLevel.TENANT, "EMEA/tok+1")))
                .hasToString(
                        "http://grafana.local:3000/d/service-health-tenant-drilldown?from="
                                + (STARTS_AT - 1_800_000)
                                + "&to=now&var-tenant_token=tok%2B1");
        assertThat(DrillDown.dashboard(grafana, page(ScopeLevel.REGION, "EMEA")))
                .hasToString(
                        "http://grafana.local:3000/d/service-health-overview?from="
                                + (STARTS_AT - 1_800_000)
                                + "&to=now");
    }

    static ScopePage page(ScopeLevel level, String scope) {
        return page(BurnRateRule.Severity.PAGE, level, scope);
    }

    static ScopePage page(BurnRateRule.Severity severity, ScopeLevel level, String scope) {
        return new ScopePage(
                severity,
                level,
                scope,
                AlertState.FIRING,
                new String[] {"availability.premium"},
                new String[] {"1h/5m"},
                new double[] {15},
                new double[] {20},
                new double[] {0.9},
                new String[0],
                STARTS_AT,
                STARTS_AT + 60_000,
                STARTS_AT + 30_000);
    }
}
