package dev.servicehealth.serving;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Grafana dashboards as code, built from the incident query catalog so that a dashboard panel
 * and the on-call CLI ask Pinot the same SQL: each panel is a catalog query with its parameters
 * filled by Grafana (the StarTree Pinot data source's {@code $__timeFromMillis} and {@code
 * $__timeToMillis} macros for the panel's range, dashboard variables for the tier, tenant and
 * endpoint). The build writes them to {@code deploy/grafana}; CI fails if the committed copies
 * differ.
 */
public final class GrafanaDashboards {
    /** The data source plugin the panels use (Pinot's data source for Grafana). */
    public static final String DATASOURCE_TYPE = "startree-pinot-datasource";

    static final String FROM = "$__timeFromMillis";
    static final String TO = "$__timeToMillis";

    /** One panel: a catalog query and how it is drawn. */
    record Panel(
            String title,
            IncidentQuery query,
            String relativeTime,
            boolean timeSeries,
            int x,
            int y,
            int width,
            int height) {
        String sql() {
            return query.withExpressions(expressions(query));
        }
    }

    /** A dashboard: its identity, its variables and its panels. */
    record Dashboard(
            String file,
            String uid,
            String title,
            List<ObjectNode> variables,
            List<Panel> panels) {}

    private GrafanaDashboards() {}

    static List<Dashboard> dashboards() {
        return List.of(serviceOverview(), tenantDrilldown());
    }

    private static Dashboard serviceOverview() {
        return new Dashboard(
                "service-overview.json",
                "service-health-overview",
                "Service health: overview",
                List.of(
                        datasourceVariable(),
                        customVariable("tier", "Tenant tier", "PREMIUM,STANDARD,FREE")),
                List.of(
                        new Panel(
                                "Global, regional or one zone? Last 5 minutes against the hour before",
                                IncidentQuery.REGIONAL_AVAILABILITY,
                                "65m",
                                false,
                                0,
                                0,
                                24,
                                6),
                        new Panel(
                                "Is it improving? Requests and 5xx per minute and region",
                                IncidentQuery.ERROR_TREND,
                                "15m",
                                true,
                                0,
                                6,
                                12,
                                9),
                        new Panel(
                                "Impacted tenants: 5xx now against their own hour before",
                                IncidentQuery.IMPACTED_TENANTS,
                                "65m",
                                false,
                                12,
                                6,
                                12,
                                9),
                        new Panel(
                                "SLA of the $tier tier per region",
                                IncidentQuery.TIER_SLA,
                                null,
                                false,
                                0,
                                15,
                                12,
                                6),
                        new Panel(
                                "What changed: deploys, flags and incidents",
                                IncidentQuery.STATUS_CHANGES,
                                null,
                                false,
                                0,
                                27,
                                24,
                                6),
                        new Panel(
                                "Ops view: the last 5 minutes per region and service",
                                IncidentQuery.ROLLING_OPS_VIEW,
                                "5m",
                                false,
                                12,
                                15,
                                12,
                                12),
                        new Panel(
                                "Bad input: dead letters by reason and topic",
                                IncidentQuery.DEAD_LETTERS,
                                null,
                                false,
                                0,
                                33,
                                12,
                                6),
                        new Panel(
                                "Too late to count: windows a backfill must repair",
                                IncidentQuery.TOO_LATE_WINDOWS,
                                null,
                                false,
                                12,
                                33,
                                12,
                                6),
                        new Panel(
                                "What changed in the inputs: schema drift by source and producer",
                                IncidentQuery.SCHEMA_DRIFT,
                                null,
                                false,
                                0,
                                39,
                                24,
                                8)));
    }

    private static Dashboard tenantDrilldown() {
        return new Dashboard(
                "tenant-drilldown.json",
                "service-health-tenant-drilldown",
                "Service health: tenant drill-down",
                List.of(
                        datasourceVariable(),
                        textVariable("tenant_token", "Tenant token (oncall CLI: --tenant)"),
                        textVariable("endpoint", "Endpoint")),
                List.of(
                        new Panel(
                                "$endpoint for $tenant_token, per minute",
                                IncidentQuery.TENANT_DRILLDOWN,
                                "15m",
                                true,
                                0,
                                0,
                                24,
                                12)));
    }

    /**
     * How Grafana fills each parameter of a query, the same for every panel: the range from the
     * panel's time range (a baseline starts where the range does, the recent part is its last 5
     * minutes), the tier, tenant and endpoint from the dashboard's variables.
     */
    static Map<String, String> expressions(IncidentQuery query) {
        Map<String, String> expressions = new LinkedHashMap<>();
        for (String parameter : query.parameters()) {
            expressions.put(
                    parameter,
                    switch (parameter) {
                        case "from", "baseline_from" -> FROM;
                        case "to" -> TO;
                        // the overview's comparison panels span 65 minutes: 5 of them are recent
                        case "recent_ms" -> "300000";
                        case "baseline_scale" -> "0.0833";
                        case "limit" -> "20";
                        case "tier", "tenant_token", "endpoint" -> "'$" + parameter + "'";
                        default ->
                                throw new IllegalArgumentException(
                                        query + ": no dashboard variable for " + parameter);
                    });
        }
        return expressions;
    }

    /** Writes every dashboard into {@code args[0]} (deploy/grafana). */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (Dashboard dashboard : dashboards()) {
            Files.writeString(
                    dir.resolve(dashboard.file()),
                    PinotHttp.JSON
                                    .writerWithDefaultPrettyPrinter()
                                    .writeValueAsString(json(dashboard))
                            + "\n");
        }
    }

    static ObjectNode json(Dashboard dashboard) {
        ObjectNode root = PinotHttp.JSON.createObjectNode();
        root.put("uid", dashboard.uid());
        root.put("title", dashboard.title());
        root.put(
                "description",
                "Generated by " + GrafanaDashboards.class.getName() + "; do not edit");
        root.put("schemaVersion", 39);
        root.put("refresh", "10s");
        root.putObject("time").put("from", "now-1h").put("to", "now");
        ArrayNode variables = root.putObject("templating").putArray("list");
        dashboard.variables().forEach(variables::add);
        if (dashboard.uid().equals("service-health-overview")) {
            root.putObject("annotations").putArray("list").add(deployAnnotations());
        }
        ArrayNode panels = root.putArray("panels");
        int id = 1;
        for (Panel panel : dashboard.panels()) {
            panels.add(panel(panel, id++));
        }
        return root;
    }

    private static ObjectNode panel(Panel panel, int id) {
        ObjectNode node = PinotHttp.JSON.createObjectNode();
        node.put("id", id);
        node.put("type", panel.timeSeries() ? "timeseries" : "table");
        node.put("title", panel.title());
        node.put("description", panel.query().question());
        node.putObject("gridPos")
                .put("x", panel.x())
                .put("y", panel.y())
                .put("w", panel.width())
                .put("h", panel.height());
        node.set("datasource", datasource());
        if (panel.relativeTime() != null) {
            node.put("timeFrom", panel.relativeTime());
        }
        ObjectNode target = node.putArray("targets").addObject();
        target.put("refId", "A");
        target.set("datasource", datasource());
        target.put("queryType", "PinotQL");
        target.put("editorMode", "Code");
        target.put("displayType", "TABLE");
        target.put("tableName", panel.query().table());
        target.put("timeColumnAlias", "window_start");
        target.put("timeColumnFormat", "1:MILLISECONDS:EPOCH");
        target.put("pinotQlCode", panel.sql());
        if (panel.query() == IncidentQuery.ERROR_TREND) {
            // one series per region: Grafana splits the rows by their region field
            node.putArray("transformations")
                    .addObject()
                    .put("id", "partitionByValues")
                    .putObject("options")
                    .putArray("fields")
                    .add("region");
        }
        return node;
    }

    /** Deploys, flags and incidents as annotations on every time series, from the status table. */
    private static ObjectNode deployAnnotations() {
        ObjectNode annotation = PinotHttp.JSON.createObjectNode();
        annotation.put("name", "Deploys, flags and incidents");
        annotation.put("enable", true);
        annotation.put("iconColor", "orange");
        annotation.set("datasource", datasource());
        ObjectNode target = annotation.putObject("target");
        target.put("refId", "annotations");
        target.put("queryType", "PinotQL");
        target.put("editorMode", "Code");
        target.put("displayType", "TABLE");
        target.put("tableName", EventLogTable.STATUS_EVENTS.tableName());
        target.put("timeColumnAlias", "event_time_ms");
        target.put("timeColumnFormat", "1:MILLISECONDS:EPOCH");
        target.put(
                "pinotQlCode",
                IncidentQuery.STATUS_CHANGES.withExpressions(
                        expressions(IncidentQuery.STATUS_CHANGES)));
        annotation
                .putObject("mappings")
                .putObject("time")
                .put("source", "field")
                .put("value", "event_time_ms");
        annotation
                .with("mappings")
                .putObject("text")
                .put("source", "field")
                .put("value", "summary");
        annotation.with("mappings").putObject("tags").put("source", "field").put("value", "kind");
        return annotation;
    }

    private static ObjectNode datasource() {
        ObjectNode node = PinotHttp.JSON.createObjectNode();
        node.put("type", DATASOURCE_TYPE);
        node.put("uid", "${datasource}");
        return node;
    }

    private static ObjectNode datasourceVariable() {
        ObjectNode node = PinotHttp.JSON.createObjectNode();
        node.put("name", "datasource");
        node.put("label", "Pinot");
        node.put("type", "datasource");
        node.put("query", DATASOURCE_TYPE);
        return node;
    }

    private static ObjectNode customVariable(String name, String label, String values) {
        ObjectNode node = PinotHttp.JSON.createObjectNode();
        node.put("name", name);
        node.put("label", label);
        node.put("type", "custom");
        node.put("query", values);
        node.putObject("current")
                .put("text", values.split(",")[0])
                .put("value", values.split(",")[0]);
        return node;
    }

    private static ObjectNode textVariable(String name, String label) {
        ObjectNode node = PinotHttp.JSON.createObjectNode();
        node.put("name", name);
        node.put("label", label);
        node.put("type", "textbox");
        node.put("query", "");
        return node;
    }
}
