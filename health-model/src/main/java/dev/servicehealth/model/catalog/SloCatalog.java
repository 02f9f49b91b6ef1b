package dev.servicehealth.model.catalog;

import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.TenantTier;
import dev.servicehealth.model.reference.SloTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The service level objectives of every tenant tier, from the targets of {@code
 * seeds/slo-targets.csv}. Good and bad are the metric catalog's own counters and latency, so a page
 * and a dashboard never disagree about what an error is:
 *
 * <ul>
 *   <li>{@code availability}: gateway requests that {@link MetricCatalog#SUCCESSES} counts, out of
 *       {@link MetricCatalog#REQUESTS};
 *   <li>{@code latency_p95}, {@code latency_p99}: gateway requests at most the tier's P95 (P99)
 *       threshold, out of those with a latency; 95 % (99 %) of them must be, which is the
 *       percentile target stated as a ratio of good events, the only form a burn rate can take;
 *   <li>{@code auth_availability}: auth operations that {@link MetricCatalog#AUTH_FAILURES} does
 *       not count, out of {@link MetricCatalog#AUTH_ATTEMPTS}; the target is one minus the tier's
 *       largest auth failure rate.
 * </ul>
 */
public final class SloCatalog {
    private SloCatalog() {}

    /** Every objective of every tier with a target, in the tiers' order. */
    public static List<ServiceLevelObjective> of(Map<TenantTier, SloTarget> targets) {
        List<ServiceLevelObjective> slos = new ArrayList<>();
        for (TenantTier tier : TenantTier.values()) {
            SloTarget target = targets.get(tier);
            if (target != null) {
                slos.addAll(of(target));
            }
        }
        return List.copyOf(slos);
    }

    private static List<ServiceLevelObjective> of(SloTarget target) {
        TenantTier tier = target.tier();
        double p95 = target.latencyP95Ms();
        double p99 = target.latencyP99Ms();
        return List.of(
                new ServiceLevelObjective(
                        "availability",
                        tier,
                        target.availabilityPct() / 100,
                        "gateway requests counted as successes (2xx, 3xx, 4xx except 429)",
                        e ->
                                MetricCatalog.REQUESTS.of(e) == 0
                                        ? SloJudgement.NOT_COUNTED
                                        : MetricCatalog.SUCCESSES.of(e) == 1
                                                ? SloJudgement.GOOD
                                                : SloJudgement.BAD),
                new ServiceLevelObjective(
                        "latency_p95",
                        tier,
                        0.95,
                        "gateway requests answered within " + milliseconds(p95),
                        e -> withinLatency(e, p95)),
                new ServiceLevelObjective(
                        "latency_p99",
                        tier,
                        0.99,
                        "gateway requests answered within " + milliseconds(p99),
                        e -> withinLatency(e, p99)),
                new ServiceLevelObjective(
                        "auth_availability",
                        tier,
                        1 - target.authFailureRatePct() / 100,
                        "auth operations not failed by the service (dependency error, timeout,"
                                + " internal error)",
                        e ->
                                MetricCatalog.AUTH_ATTEMPTS.of(e) == 0
                                        ? SloJudgement.NOT_COUNTED
                                        : MetricCatalog.AUTH_FAILURES.of(e) == 1
                                                ? SloJudgement.BAD
                                                : SloJudgement.GOOD));
    }

    private static SloJudgement withinLatency(RequestEvent event, double thresholdMs) {
        double latency = MetricCatalog.LATENCY.of(event);
        if (Double.isNaN(latency)) {
            return SloJudgement.NOT_COUNTED;
        }
        return latency <= thresholdMs ? SloJudgement.GOOD : SloJudgement.BAD;
    }

    private static String milliseconds(double ms) {
        return String.format(Locale.ROOT, "%.0f ms", ms);
    }
}
