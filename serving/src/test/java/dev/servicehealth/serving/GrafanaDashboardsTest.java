package dev.servicehealth.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dashboards ask Pinot what the query catalog asks: once Grafana has filled in its macros and
 * variables, every panel's SQL is the catalog query with those values, and every catalog query is
 * on a dashboard.
 */
class GrafanaDashboardsTest {

    @Test
    void everyPanelIsACatalogQueryOnceGrafanaFillsItIn() {
        long from = 1_700_000_000_000L;
        long to = from + 3_900_000L;
        Map<String, String> grafana =
                Map.of(
                        GrafanaDashboards.FROM,
                        Long.toString(from),
                        GrafanaDashboards.TO,
                        Long.toString(to),
                        "$tier",
                        "PREMIUM",
                        "$tenant_token",
                        "tk_abc",
                        "$endpoint",
                        "/services/data/v60/query");
        Set<IncidentQuery> shown = EnumSet.noneOf(IncidentQuery.class);
        for (GrafanaDashboards.Dashboard dashboard : GrafanaDashboards.dashboards()) {
            JsonNode json = GrafanaDashboards.json(dashboard);
            List<String> variables = new ArrayList<>();
            json.path("templating")
                    .path("list")
                    .forEach(v -> variables.add(v.path("name").asText()));
            for (int i = 0; i < dashboard.panels().size(); i++) {
                GrafanaDashboards.Panel panel = dashboard.panels().get(i);
                JsonNode target = json.path("panels").get(i).path("targets").get(0);
                String sql = target.path("pinotQlCode").asText();
                assertThat(sql).doesNotContain("{");
                String filled = sql;
                for (Map.Entry<String, String> value : grafana.entrySet()) {
                    filled = filled.replace(value.getKey(), value.getValue());
                }
                assertThat(filled).as("only known macros and variables").doesNotContain("$");

                Map<String, Object> values = new HashMap<>();
                GrafanaDashboards.expressions(panel.query())
                        .forEach(
                                (name, expression) ->
                                        values.put(name, literalFor(expression, from, to)));
                assertThat(filled).isEqualTo(panel.query().sql(values));
                GrafanaDashboards.expressions(panel.query()).values().stream()
                        .filter(e -> e.startsWith("'$"))
                        .forEach(
                                e ->
                                        assertThat(variables)
                                                .contains(e.substring(2, e.length() - 1)));
                assertThat(panel.sql()).contains("FROM " + target.path("tableName").asText());
                shown.add(panel.query());
            }
        }
        // before and after one change is a question about one event: the CLI's; on a dashboard the
        // change is an annotation on every time series
        assertThat(shown)
                .containsExactlyInAnyOrderElementsOf(
                        EnumSet.complementOf(EnumSet.of(IncidentQuery.AROUND_CHANGE)));
    }

    /** The value Grafana puts where the panel has this expression. */
    private static Object literalFor(String expression, long from, long to) {
        return switch (expression) {
            case GrafanaDashboards.FROM -> from;
            case GrafanaDashboards.TO -> to;
            case "'$tier'" -> "PREMIUM";
            case "'$tenant_token'" -> "tk_abc";
            case "'$endpoint'" -> "/services/data/v60/query";
            default ->
                    expression.contains(".")
                            ? (Object) Double.parseDouble(expression)
                            : (Object) Long.parseLong(expression);
        };
    }
}
