package dev.servicehealth.pager;

import dev.servicehealth.model.catalog.BurnRateRule;
import dev.servicehealth.model.pager.AlertState;
import dev.servicehealth.model.pager.ScopeLevel;

/**
 * One transition of one alert: an objective in a scope, at a severity.
 *
 * @param slo the objective's id
 * @param level the scope's level
 * @param scope the scope within its level
 * @param severity page or ticket
 * @param state what happened
 * @param pair the burn-rate pair that tripped (for a resolve or an expiry: the one that had),
 *     {@link #DATA_MISSING_PAIR} for the data alerts
 * @param startsAtMs event time the burn began: the earliest bad event of the first bucket over the
 *     pair's threshold; for the data alerts, the newest event time before the silence
 * @param evaluatedAtMs the event time this was decided as of: the scope's newest event live, a
 *     bucket's last millisecond while catching up, the expiry timer's time for an expiry
 * @param longBurnRate the pair's long-window error ratio over the error budget
 * @param shortBurnRate the pair's short-window error ratio over the error budget
 * @param longWindowEvents events in the pair's long window
 * @param budgetLeft the share of the last three days' error budget not yet spent (negative when
 *     overspent), from the scope's own traffic
 * @param hourBad bad events of the last hour, whatever the pair: the one window every scope's alert
 *     reports, so that scopes can be compared, and long enough to hold an incident that ended while
 *     its slower pairs still burn
 * @param hourTotal all events of the last hour
 * @param firedAtMs the event time the alert fired at (as of which its first pair tripped); for the
 *     data alerts, the newest event time before the silence
 * @param live decided as its count came, at the newest event time; false when decided as the
 *     watermark passed {@code evaluatedAtMs} while the pipeline caught up on a backlog
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
        double budgetLeft,
        long hourBad,
        long hourTotal,
        long firedAtMs,
        boolean live) {

    /** The pair of the data alerts: a silence is not a burn, and is keyed apart from one. */
    public static final String DATA_MISSING_PAIR = "data-missing";

    /** Stable for one alert across its transitions and restarts. */
    public String alertKey() {
        String key = slo + "|" + level.name() + "|" + scope + "|" + severity.name();
        return DATA_MISSING_PAIR.equals(pair) ? key + "|" + DATA_MISSING_PAIR : key;
    }

    /** The last hour's error ratio, NaN without events. */
    public double hourErrorRatio() {
        return hourTotal == 0 ? Double.NaN : (double) hourBad / hourTotal;
    }
}
