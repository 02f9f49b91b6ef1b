package dev.servicehealth.model.catalog;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One multi-window burn-rate alert: it trips when the error ratio over both its long and its short
 * window is at least its threshold, the long window proving the budget is really being spent, the
 * short one that it still is (so the alert resolves minutes after the problem ends, not an hour).
 *
 * <p>The four pairs of the SRE workbook, plus {@link #FAST}: at 99.9 % a total outage needs 14.4 ×
 * 0.1 % × 3,600 s ≈ 52 s of errors before the 1-hour window's error ratio reaches 14.4 times the
 * budget, which alone misses a 30-second page. The fast pair looks at one minute and ten seconds
 * and, so that a minute of slightly raised errors is left to the hourly pair, also asks for a
 * severe error ratio of 10 %: a total outage trips it after max(14.4 × budget, 10 %) × 60 s, 6 s at
 * 99.9 %. The pager's windows are whole buckets plus the one filling, up to a tenth longer than
 * their length, so these times are the least: 6 to 7 s.
 *
 * @param name how alerts name the pair
 * @param severity what tripping it raises
 * @param longWindow the window that proves the budget is being spent
 * @param shortWindow the window that proves it still is
 * @param burnRate the multiple of the error budget the error ratio must reach in both windows
 * @param minErrorRatio an error ratio both windows must also reach, whatever the budget
 * @param minEvents events the long window must hold before the pair may trip, so that a tenant with
 *     three requests and one failure is not paged
 */
public record BurnRateRule(
        String name,
        Severity severity,
        Duration longWindow,
        Duration shortWindow,
        double burnRate,
        double minErrorRatio,
        long minEvents)
        implements Serializable {

    /** What a tripped pair raises. */
    public enum Severity {
        /** Someone is woken: the budget goes within hours. */
        PAGE,
        /** Someone looks today: the budget goes within days. */
        TICKET
    }

    public static final BurnRateRule FAST =
            new BurnRateRule(
                    "fast",
                    Severity.PAGE,
                    Duration.ofMinutes(1),
                    Duration.ofSeconds(10),
                    14.4,
                    0.10,
                    50);

    public static final List<BurnRateRule> ALL =
            List.of(
                    FAST,
                    new BurnRateRule(
                            "1h",
                            Severity.PAGE,
                            Duration.ofHours(1),
                            Duration.ofMinutes(5),
                            14.4,
                            0,
                            100),
                    new BurnRateRule(
                            "6h",
                            Severity.PAGE,
                            Duration.ofHours(6),
                            Duration.ofMinutes(30),
                            6,
                            0,
                            100),
                    new BurnRateRule(
                            "1d",
                            Severity.TICKET,
                            Duration.ofDays(1),
                            Duration.ofHours(2),
                            3,
                            0,
                            100),
                    new BurnRateRule(
                            "3d",
                            Severity.TICKET,
                            Duration.ofDays(3),
                            Duration.ofHours(6),
                            1,
                            0,
                            100));

    /**
     * Bad events the threshold must stand for in the long window before a pair may trip: a premium
     * scope's 6 h pair (0.3 %) needs 1,667 events, so a handful of failures among a few hundred
     * requests is no page.
     */
    public static final long MIN_BAD_AT_THRESHOLD = 5;

    /** The longest window of any pair: how long the pager keeps a scope's counts. */
    public static final Duration LONGEST_WINDOW = Duration.ofDays(3);

    /** The error ratio this pair trips at for an objective. */
    public double errorRatioThreshold(ServiceLevelObjective slo) {
        return Math.max(burnRate * slo.errorBudget(), minErrorRatio);
    }

    /**
     * Whether the pair trips, given each window's bad and total events. A window without events
     * (0/0) never trips it, nor does a short window too small for its threshold to stand for one
     * bad event: one stray error must not confirm a burn the long window still remembers from an
     * incident that has ended.
     */
    public boolean trips(
            ServiceLevelObjective slo,
            long longBad,
            long longTotal,
            long shortBad,
            long shortTotal) {
        double threshold = errorRatioThreshold(slo);
        return longTotal >= minEvents
                && longTotal * threshold >= MIN_BAD_AT_THRESHOLD
                && shortTotal * threshold >= 1
                && longBad >= threshold * longTotal
                && shortBad >= threshold * shortTotal;
    }

    /**
     * How long an outage that fails this share of the events takes to trip the pair, with steady
     * traffic before it; empty if it never does (a slow-request outage cannot burn a 5 % budget
     * faster than 20 times).
     */
    public Optional<Duration> timeToTrip(ServiceLevelObjective slo, double failingShare) {
        double threshold = errorRatioThreshold(slo);
        if (threshold > failingShare) {
            return Optional.empty();
        }
        return Optional.of(
                Duration.ofMillis(Math.round(threshold / failingShare * longWindow.toMillis())));
    }
}
