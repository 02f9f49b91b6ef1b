package dev.servicehealth.model.catalog;

import dev.servicehealth.model.AuthOutcome;
import dev.servicehealth.model.RequestSource;
import java.util.List;

/**
 * The single definition of every health KPI: which events count, what is success and what is an
 * error. The aggregator computes from these definitions, the Pinot schema and the warehouse DDL are
 * checked against them, and docs/metrics.md is rendered from them by the build.
 */
public final class MetricCatalog {

    public static final CounterKpi REQUESTS =
            new CounterKpi(
                    "requests",
                    "count",
                    "gateway request events",
                    e -> e.source() == RequestSource.GATEWAY ? 1 : 0);

    public static final CounterKpi SUCCESSES =
            new CounterKpi(
                    "successes",
                    "count",
                    "gateway requests whose status class counts as available (2xx, 3xx, 4xx except"
                            + " 429)",
                    e ->
                            e.source() == RequestSource.GATEWAY
                                            && StatusClass.of(e.httpStatus()).available()
                                    ? 1
                                    : 0);

    public static final CounterKpi SERVER_ERRORS =
            new CounterKpi(
                    "server_errors",
                    "count",
                    "gateway requests answered 5xx",
                    e ->
                            e.source() == RequestSource.GATEWAY
                                            && StatusClass.of(e.httpStatus())
                                                    == StatusClass.SERVER_ERROR
                                    ? 1
                                    : 0);

    public static final CounterKpi CLIENT_ERRORS =
            new CounterKpi(
                    "client_errors",
                    "count",
                    "gateway requests answered 4xx other than 429",
                    e ->
                            e.source() == RequestSource.GATEWAY
                                            && StatusClass.of(e.httpStatus())
                                                    == StatusClass.CLIENT_ERROR
                                    ? 1
                                    : 0);

    public static final CounterKpi THROTTLED =
            new CounterKpi(
                    "throttled",
                    "count",
                    "gateway requests answered 429 (service refused: counts against availability)",
                    e ->
                            e.source() == RequestSource.GATEWAY
                                            && StatusClass.of(e.httpStatus())
                                                    == StatusClass.THROTTLED
                                    ? 1
                                    : 0);

    public static final CounterKpi BYTES_OUT =
            new CounterKpi(
                    "bytes_out",
                    "bytes",
                    "sum of response bytes of gateway requests",
                    e -> e.source() == RequestSource.GATEWAY ? e.bytesOut() : 0);

    public static final CounterKpi AUTH_ATTEMPTS =
            new CounterKpi(
                    "auth_attempts",
                    "count",
                    "auth-service operations (logins and token mints)",
                    e -> e.source() == RequestSource.AUTH ? 1 : 0);

    public static final CounterKpi AUTH_FAILURES =
            new CounterKpi(
                    "auth_failures",
                    "count",
                    "auth operations the service failed: dependency_error, timeout,"
                            + " internal_error (bad credentials are not failures of ours)",
                    e ->
                            e.source() == RequestSource.AUTH
                                            && e.authOutcome() != null
                                            && e.authOutcome().isServiceFailure()
                                    ? 1
                                    : 0);

    public static final CounterKpi LOGIN_REJECTIONS =
            new CounterKpi(
                    "login_rejections",
                    "count",
                    "auth operations rejected for invalid credentials",
                    e ->
                            e.source() == RequestSource.AUTH
                                            && e.authOutcome() == AuthOutcome.INVALID_CREDENTIALS
                                    ? 1
                                    : 0);

    public static final CounterKpi DEPENDENCY_ERRORS =
            new CounterKpi(
                    "dependency_errors",
                    "count",
                    "auth operations that failed because a dependency (directory, HSM, IdP) failed",
                    e ->
                            e.source() == RequestSource.AUTH
                                            && e.authOutcome() == AuthOutcome.DEPENDENCY_ERROR
                                    ? 1
                                    : 0);

    public static final List<CounterKpi> COUNTERS =
            List.of(
                    REQUESTS,
                    SUCCESSES,
                    SERVER_ERRORS,
                    CLIENT_ERRORS,
                    THROTTLED,
                    BYTES_OUT,
                    AUTH_ATTEMPTS,
                    AUTH_FAILURES,
                    LOGIN_REJECTIONS,
                    DEPENDENCY_ERRORS);

    public static final List<RatioKpi> RATIOS =
            List.of(
                    new RatioKpi(
                            "availability",
                            "successes / requests (the availability proxy)",
                            SUCCESSES,
                            REQUESTS),
                    new RatioKpi(
                            "error_rate_5xx", "server_errors / requests", SERVER_ERRORS, REQUESTS),
                    new RatioKpi(
                            "auth_failure_rate",
                            "auth_failures / auth_attempts",
                            AUTH_FAILURES,
                            AUTH_ATTEMPTS));

    private static final List<Double> PERCENTILES = List.of(0.50, 0.95, 0.99);

    public static final DistributionKpi LATENCY =
            new DistributionKpi(
                    "latency",
                    "ms",
                    "gateway request latency as logged by the gateway, all status classes",
                    PERCENTILES,
                    e -> e.source() == RequestSource.GATEWAY ? e.latencyMs() : Double.NaN);

    public static final DistributionKpi TOKEN_MINT_LATENCY =
            new DistributionKpi(
                    "token_mint_latency",
                    "ms",
                    "token minting latency of auth operations, all outcomes",
                    PERCENTILES,
                    e -> e.source() == RequestSource.AUTH ? e.tokenMintLatencyMs() : Double.NaN);

    public static final List<DistributionKpi> DISTRIBUTIONS = List.of(LATENCY, TOKEN_MINT_LATENCY);

    public static final List<SaturationKpi> SATURATION =
            List.of(
                    new SaturationKpi(
                            "queue_depth",
                            "queue_depth",
                            "requests",
                            "work queue depth reported by each service instance",
                            List.of("max", "avg")),
                    new SaturationKpi(
                            "cpu_throttling",
                            "cpu_throttling_ratio",
                            "ratio 0..1",
                            "share of CFS periods in which the container was throttled (recorded"
                                    + " at the source Prometheus)",
                            List.of("max", "avg")));

    private MetricCatalog() {}
}
