package dev.servicehealth.notifier;

import dev.servicehealth.model.StatusEvent;
import dev.servicehealth.model.StatusKind;
import dev.servicehealth.model.pager.ScopeLevel;
import dev.servicehealth.model.pager.ScopePage;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the person paged looks next: the {@code ./oncall} commands of the incident query catalog
 * that answer the page's first questions, and the dashboard over the burn's time. The command names
 * and options are the catalog's ({@code ./oncall --help}); a test holds them to it.
 */
final class DrillDown {
    static final String OVERVIEW_DASHBOARD = "service-health-overview";
    static final String TENANT_DASHBOARD = "service-health-tenant-drilldown";

    private static final Duration BEFORE_BURN = Duration.ofMinutes(30);

    private DrillDown() {}

    /** The commands, one per line as pasted. */
    static List<String> commands(ScopePage page, List<StatusEvent> changes) {
        List<String> commands = new ArrayList<>();
        switch (page.level()) {
            case GLOBAL, REGION, ZONE -> {
                commands.add("./oncall regional-availability --last 15m");
                commands.add("./oncall impacted-tenants --last 15m");
                commands.add("./oncall error-trend --last 30m");
            }
            case SERVICE -> {
                commands.add("./oncall rolling-ops-view --last 5m");
                commands.add("./oncall error-trend --last 30m");
            }
            case TENANT -> {
                commands.add("./oncall impacted-tenants --last 15m");
                commands.add("./oncall tier-sla --tier PREMIUM --last 1h");
            }
        }
        commands.add("./oncall status-changes --last 2h");
        for (StatusEvent change : changes) {
            if (change.kind() == StatusKind.DEPLOY
                    && change.service() != null
                    && change.region() != null) {
                commands.add(
                        "./oncall around-change --service "
                                + change.service()
                                + " --region "
                                + change.region().name()
                                + " --at "
                                + Instant.ofEpochMilli(change.eventTimeMs()));
                break;
            }
        }
        return commands;
    }

    /** The dashboard from half an hour before the burn began, to now. */
    static URI dashboard(URI grafana, ScopePage page) {
        String base = grafana.toString().replaceAll("/+$", "");
        long from = page.startsAtMs() - BEFORE_BURN.toMillis();
        if (page.level() == ScopeLevel.TENANT) {
            String token = page.scope().substring(page.scope().indexOf('/') + 1);
            return URI.create(
                    base
                            + "/d/"
                            + TENANT_DASHBOARD
                            + "?from="
                            + from
                            + "&to=now&var-tenant_token="
                            + URLEncoder.encode(token, StandardCharsets.UTF_8));
        }
        return URI.create(base + "/d/" + OVERVIEW_DASHBOARD + "?from=" + from + "&to=now");
    }
}
