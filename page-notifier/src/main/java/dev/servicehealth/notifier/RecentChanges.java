package dev.servicehealth.notifier;

import dev.servicehealth.model.StatusEvent;
import dev.servicehealth.model.pager.ScopeLevel;
import dev.servicehealth.model.pager.ScopePage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deploys, flag changes and incident tickets of the last day of event time, to show with the
 * pages they may explain. A change belongs to a page when it touches the page's place (its region,
 * or everywhere; for a service page, that service) and happened at most a lookback before the burn
 * began, or since. The nearest to the burn's start come first: the deploy that started an outage
 * lands seconds before it.
 */
final class RecentChanges {
    /** How many changes a page shows: the alert must stay readable on a phone. */
    static final int SHOWN = 5;

    private static final long KEPT_MS = Duration.ofDays(1).toMillis();
    private static final int MAX_KEPT = 10_000;

    private final long lookbackMs;
    private final Map<String, StatusEvent> byId = new LinkedHashMap<>();
    private long newestMs = Long.MIN_VALUE;

    RecentChanges(Duration lookback) {
        this.lookbackMs = lookback.toMillis();
    }

    void add(StatusEvent change) {
        // a ticket's updates share its id in the version: each status event is kept on its own
        byId.put(change.eventId(), change);
        newestMs = Math.max(newestMs, change.eventTimeMs());
        if (byId.size() > MAX_KEPT) {
            byId.values().removeIf(old -> old.eventTimeMs() < newestMs - KEPT_MS);
        }
        while (byId.size() > MAX_KEPT) {
            byId.remove(byId.keySet().iterator().next());
        }
    }

    /** The changes shown with {@code page}, nearest to its burn's start first. */
    List<StatusEvent> of(ScopePage page) {
        long from = page.startsAtMs() - lookbackMs;
        List<StatusEvent> changes = new ArrayList<>();
        for (StatusEvent change : byId.values()) {
            if (change.eventTimeMs() >= from && touches(change, page)) {
                changes.add(change);
            }
        }
        changes.sort(
                Comparator.comparingLong(
                                (StatusEvent change) ->
                                        Math.abs(change.eventTimeMs() - page.startsAtMs()))
                        .thenComparing(StatusEvent::eventId));
        return changes.size() > SHOWN ? List.copyOf(changes.subList(0, SHOWN)) : changes;
    }

    private static boolean touches(StatusEvent change, ScopePage page) {
        return switch (page.level()) {
            case GLOBAL -> true;
            case SERVICE -> page.scope().equals(change.service());
            case REGION, ZONE, TENANT ->
                    change.region() == null || change.region().name().equals(regionOf(page));
        };
    }

    /** The region of a regional page: the scope itself, or the part before the zone or token. */
    static String regionOf(ScopePage page) {
        if (page.level() == ScopeLevel.REGION) {
            return page.scope();
        }
        int slash = page.scope().indexOf('/');
        return slash < 0 ? null : page.scope().substring(0, slash);
    }
}
