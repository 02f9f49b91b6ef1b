package dev.servicehealth.pager;

import dev.servicehealth.model.catalog.BurnRateRule;

/**
 * One transition of one alert: an objective in a scope, at a severity.
 *
 * @param slo the objective's id
 * @param level the scope's level
 * @param scope the scope within its level
 * @param severity page or ticket
 * @param state what happened
 * @param pair the burn-rate pair that tripped (for a resolve or an expiry: the one that had), empty
 *     for the data alerts
 * @param startsAtMs event time the burn began: the earliest bad event of the first bucket over the
 *     pair's threshold; for the data alerts, the newest event time before the silence
 * @param evaluatedAtMs the scope's newest event time when this was decided
 * @param longBurnRate the pair's long-window error ratio over the error budget
 * @param shortBurnRate the pair's short-window error ratio over the error budget
 * @param longWindowEvents events in the pair's long window
 * @param budgetLeft the share of the last three days' error budget not yet spent (negative when
 *     overspent), from the scope's own traffic
 */
public record SloAlert(
        String slo,
        ScopeLevel level,
        String scope,
        BurnRateRule.Severity severity,
        AlertState state,
        String pair,
        long startsAtMs,
        long evaluatedAtMs,
        double longBurnRate,
        double shortBurnRate,
        long longWindowEvents,
        double budgetLeft) {

    /**
     * Stable for one alert across its transitions and restarts: the Alertmanager labels and the
     * PagerDuty dedup key derive from it.
     */
    public String alertKey() {
        return slo + "|" + level.name() + "|" + scope + "|" + severity.name();
    }
}
