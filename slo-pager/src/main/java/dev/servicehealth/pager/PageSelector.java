package dev.servicehealth.pager;

import dev.servicehealth.model.pager.ScopeLevel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which scopes page for the burns of one severity open at a moment, and which burns each page
 * speaks for: one page per broken place, whatever number of scopes and objectives it breaks.
 *
 * <p>Per objective, every burn belongs to its highest burning ancestor (its root): a firing region
 * speaks for its zones and its premium tenants, a firing fleet for everything. A root then hands
 * its page down to a burn that explains it: one holding at least {@value #EXPLAINS} of the root's
 * bad events of the last hour at a higher error ratio, the most concentrated first, and so on down;
 * only a scope that can share events with every scope on the way down (not another region, zone,
 * tenant or service) explains a burn. So an outage of EMEA that also trips the fleet and the
 * service that serves EMEA's logins pages EMEA, a bad deploy of one service that trips every region
 * pages the service, and an outage everywhere pages the fleet. The pages of all objectives that
 * land on the same scope are one page.
 */
final class PageSelector {
    static final double EXPLAINS = 0.8;

    private PageSelector() {}

    /** A scope of a level. */
    record Scope(ScopeLevel level, String value) {
        Scope parent() {
            return level.parent() == null
                    ? null
                    : new Scope(level.parent(), level.parentScope(value));
        }

        /** Whether {@code other} is this scope or lies within it. */
        boolean contains(Scope other) {
            for (Scope up = other; up != null; up = up.parent()) {
                if (up.equals(this)) {
                    return true;
                }
            }
            return false;
        }

        static Scope of(SloAlert alert) {
            return new Scope(alert.level(), alert.scope());
        }
    }

    /** Per burn (by alert key), the scope that pages for it. */
    static Map<String, Scope> targets(Collection<SloAlert> burns) {
        Map<String, Map<Scope, SloAlert>> byObjective = new LinkedHashMap<>();
        for (SloAlert burn : burns) {
            // a silence is placed apart from a burn of the same objective
            String objective =
                    SloAlert.DATA_MISSING_PAIR.equals(burn.pair())
                            ? burn.slo() + "|" + SloAlert.DATA_MISSING_PAIR
                            : burn.slo();
            byObjective
                    .computeIfAbsent(objective, k -> new LinkedHashMap<>())
                    .put(Scope.of(burn), burn);
        }
        Map<String, Scope> targets = new HashMap<>();
        for (Map<Scope, SloAlert> scopes : byObjective.values()) {
            Map<Scope, Scope> pageOfRoot = new HashMap<>();
            for (SloAlert burn : scopes.values()) {
                Scope root = root(Scope.of(burn), scopes);
                targets.put(
                        burn.alertKey(),
                        pageOfRoot.computeIfAbsent(root, r -> handDown(r, scopes)));
            }
        }
        return targets;
    }

    /** The highest burning ancestor of a scope, or the scope itself. */
    private static Scope root(Scope scope, Map<Scope, SloAlert> burning) {
        Scope root = scope;
        for (Scope up = scope.parent(); up != null; up = up.parent()) {
            if (burning.containsKey(up)) {
                root = up;
            }
        }
        return root;
    }

    /** Down from a root to the most concentrated burn that explains it, step by step. */
    private static Scope handDown(Scope root, Map<Scope, SloAlert> burning) {
        Scope current = root;
        List<Scope> path = new ArrayList<>(List.of(root));
        while (true) {
            SloAlert from = burning.get(current);
            SloAlert best = null;
            for (SloAlert candidate : burning.values()) {
                Scope scope = Scope.of(candidate);
                if (!scope.equals(current)
                        && !isAncestor(scope, current)
                        && path.stream().allMatch(step -> mayOverlap(scope, step))
                        && explains(candidate, from)
                        && (best == null || candidate.hourErrorRatio() > best.hourErrorRatio())) {
                    best = candidate;
                }
            }
            if (best == null) {
                return current;
            }
            current = Scope.of(best);
            path.add(current);
        }
    }

    private static boolean explains(SloAlert candidate, SloAlert burn) {
        return candidate.hourBad() >= EXPLAINS * burn.hourBad()
                && candidate.hourErrorRatio() > burn.hourErrorRatio();
    }

    /**
     * Whether two scopes can share events: two regions (or anything of two regions), two zones, two
     * tenants or two services cannot, so one never explains the other, however many bad events it
     * has.
     */
    private static boolean mayOverlap(Scope a, Scope b) {
        String regionA = region(a);
        String regionB = region(b);
        if (regionA != null && regionB != null && !regionA.equals(regionB)) {
            return false;
        }
        return a.level() != b.level() || a.level() == ScopeLevel.GLOBAL || a.equals(b);
    }

    /** The region a scope lies in, {@code null} for the fleet and a service. */
    private static String region(Scope scope) {
        return switch (scope.level()) {
            case REGION -> scope.value();
            case ZONE, TENANT -> scope.level().parentScope(scope.value());
            case GLOBAL, SERVICE -> null;
        };
    }

    private static boolean isAncestor(Scope maybeAncestor, Scope scope) {
        for (Scope up = scope.parent(); up != null; up = up.parent()) {
            if (Objects.equals(up, maybeAncestor)) {
                return true;
            }
        }
        return false;
    }
}
