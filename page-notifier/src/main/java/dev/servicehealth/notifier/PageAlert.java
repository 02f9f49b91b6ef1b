package dev.servicehealth.notifier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servicehealth.model.StatusEvent;
import dev.servicehealth.model.pager.AlertState;
import dev.servicehealth.model.pager.ScopePage;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A page as an Alertmanager alert ({@code POST /api/v2/alerts}). The labels name the page and never
 * change while it is open, so every re-send and update is the same alert to Alertmanager, and one
 * page key is one PagerDuty incident (the route groups by {@code page}). The annotations say what
 * burns, how fast, what is left of the budget, what changed around it and where to look.
 */
final class PageAlert {
    static final String ALERT_NAME = "ServiceHealthSloBurn";

    private static final ObjectMapper JSON = new ObjectMapper();

    private PageAlert() {}

    /**
     * @param endsAtMs when Alertmanager may end the alert: for a firing page, a few re-send
     *     intervals ahead (it ends by itself if the notifier stops sending); for a resolved one,
     *     when it resolved
     */
    static ObjectNode of(ScopePage page, List<StatusEvent> changes, URI grafana, long endsAtMs) {
        ObjectNode alert = JSON.createObjectNode();
        ObjectNode labels = alert.putObject("labels");
        labels.put("alertname", ALERT_NAME);
        labels.put("severity", page.severity().name().toLowerCase(Locale.ROOT));
        labels.put("level", page.level().name().toLowerCase(Locale.ROOT));
        labels.put("scope", page.scope());
        labels.put("page", page.pageKey());
        ObjectNode annotations = alert.putObject("annotations");
        annotations.put("summary", summary(page));
        annotations.put("objectives", objectives(page));
        annotations.put("covers", covers(page));
        annotations.put("changes", changes(changes));
        annotations.put("oncall", String.join("\n", DrillDown.commands(page, changes)));
        URI dashboard = DrillDown.dashboard(grafana, page);
        annotations.put("dashboard", dashboard.toString());
        annotations.put("fired_at", Instant.ofEpochMilli(page.firedAtMs()).toString());
        alert.put("startsAt", Instant.ofEpochMilli(page.startsAtMs()).toString());
        alert.put("endsAt", Instant.ofEpochMilli(Math.max(endsAtMs, page.startsAtMs())).toString());
        alert.put("generatorURL", dashboard.toString());
        return alert;
    }

    /** One line: the severity, the place, and what burns there. */
    static String summary(ScopePage page) {
        String place =
                switch (page.level()) {
                    case GLOBAL -> "the whole fleet";
                    case REGION -> "region " + page.scope();
                    case ZONE -> "zone " + page.scope();
                    case SERVICE -> "service " + page.scope();
                    case TENANT -> "premium tenant " + page.scope();
                };
        String what = String.join(", ", page.objectives());
        return page.severity().name()
                + (page.state() == AlertState.RESOLVED ? " resolved: " : ": ")
                + place
                + " burns "
                + what;
    }

    private static String objectives(ScopePage page) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < page.objectives().length; i++) {
            lines.add(
                    String.format(
                            Locale.ROOT,
                            "%s: pair %s, burn rate %.1f× (long window) and %.1f× (short"
                                    + " window), %.0f %% of the 3-day error budget left",
                            page.objectives()[i],
                            page.pairs()[i],
                            page.longBurnRates()[i],
                            page.shortBurnRates()[i],
                            100 * page.budgetLeft()[i]));
        }
        return String.join("\n", lines);
    }

    private static String covers(ScopePage page) {
        if (page.covered().length == 0) {
            return "no other scope";
        }
        return page.covered().length
                + " burns of other scopes, suppressed: "
                + String.join(", ", page.covered());
    }

    private static String changes(List<StatusEvent> changes) {
        if (changes.isEmpty()) {
            return "no deploy, flag change or incident recorded around it";
        }
        List<String> lines = new ArrayList<>();
        for (StatusEvent change : changes) {
            lines.add(
                    Instant.ofEpochMilli(change.eventTimeMs())
                            + " "
                            + change.kind().name().toLowerCase(Locale.ROOT)
                            + " "
                            + (change.service() == null ? "" : change.service() + " ")
                            + (change.region() == null ? "global" : change.region().name())
                            + (change.version() == null || change.version().isEmpty()
                                    ? ""
                                    : " " + change.version())
                            + ": "
                            + change.summary());
        }
        return String.join("\n", lines);
    }
}
