package dev.servicehealth.model.pager;

import dev.servicehealth.model.catalog.BurnRateRule;

/**
 * One page: a scope whose objectives burn, with the scopes it speaks for. What the notifier sends
 * to Alertmanager, one alert per page key.
 *
 * @param severity page or ticket
 * @param level the scope's level
 * @param scope the scope within its level
 * @param state {@link AlertState#FIRING} (again when what it says changed) or {@link
 *     AlertState#RESOLVED}
 * @param objectives the ids of the objectives burning in this scope
 * @param pairs per objective, the pair that tripped
 * @param longBurnRates per objective, the tripped pair's long-window burn rate
 * @param shortBurnRates per objective, the tripped pair's short-window burn rate
 * @param budgetLeft per objective, the share of the last three days' error budget left (negative
 *     when overspent)
 * @param covered the alert keys of the burns of other scopes this page speaks for
 * @param startsAtMs event time the burn that fired first began
 * @param evaluatedAtMs the newest event time of its burns; for a resolved page, when its last burn
 *     ended
 * @param firedAtMs the event time its earliest burn fired at: how far into an incident it paged
 */
public record ScopePage(
        BurnRateRule.Severity severity,
        ScopeLevel level,
        String scope,
        AlertState state,
        String[] objectives,
        String[] pairs,
        double[] longBurnRates,
        double[] shortBurnRates,
        double[] budgetLeft,
        String[] covered,
        long startsAtMs,
        long evaluatedAtMs,
        long firedAtMs) {

    /** This page resolved as of {@code atMs} (event time): it says what it said last. */
    public ScopePage resolved(long atMs) {
        return new ScopePage(
                severity,
                level,
                scope,
                AlertState.RESOLVED,
                objectives,
                pairs,
                longBurnRates,
                shortBurnRates,
                budgetLeft,
                covered,
                startsAtMs,
                atMs,
                firedAtMs);
    }

    /** Stable for one page across its updates: the Alertmanager alert and PagerDuty dedup key. */
    public String pageKey() {
        return severity.name() + "|" + level.name() + "|" + scope;
    }
}
