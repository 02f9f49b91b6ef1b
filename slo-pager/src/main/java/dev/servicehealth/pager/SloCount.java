package dev.servicehealth.pager;

import dev.servicehealth.model.pager.ScopeLevel;

/**
 * Good and bad events of one objective in one scope, all in the same ten-second bucket of event
 * time: what one event, or the pre-aggregation of many, adds to a scope's burn rates.
 *
 * @param slo the objective's id, e.g. {@code availability.premium}
 * @param level the scope's level
 * @param scope the scope within its level: {@code all}, {@code EMEA}, {@code EMEA/emea-1b}, a
 *     service name or a tenant token
 * @param eventTimeMs the newest event time of the events counted
 * @param good events the objective judged good
 * @param bad events it judged bad
 * @param firstBadMs the event time of the earliest bad event, {@link Long#MAX_VALUE} if none: where
 *     the signal-to-page latency starts
 */
public record SloCount(
        String slo,
        ScopeLevel level,
        String scope,
        long eventTimeMs,
        long good,
        long bad,
        long firstBadMs) {

    /** The burn-rate state's key: one objective in one scope. */
    public String key() {
        return slo + "|" + level.name() + "|" + scope;
    }

    public long total() {
        return good + bad;
    }

    /** The sum of two counts of the same key. */
    public SloCount plus(SloCount other) {
        return new SloCount(
                slo,
                level,
                scope,
                Math.max(eventTimeMs, other.eventTimeMs),
                good + other.good,
                bad + other.bad,
                Math.min(firstBadMs, other.firstBadMs));
    }
}
