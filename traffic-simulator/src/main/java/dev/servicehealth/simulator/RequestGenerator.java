package dev.servicehealth.simulator;

import dev.servicehealth.model.AuthOutcome;
import dev.servicehealth.model.EventKind;
import dev.servicehealth.model.Region;
import dev.servicehealth.model.RequestSource;
import dev.servicehealth.model.reference.EndpointInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Generates the gateway line of one request and, for a share of requests, the auth line of its
 * token mint or login, with the scenario's effects, shipping delays and line-level dirt.
 */
final class RequestGenerator {
    private static final List<Integer> STATUSES =
            List.of(200, 201, 204, 304, 400, 401, 403, 404, 409, 429, 500, 502, 503, 504);
    // a healthy fleet: 0.04 % of requests throttled or failed, inside even the premium tier's
    // 0.05 % budget, so that only a scenario's incident burns it
    private static final double[] STATUS_WEIGHTS = {
        9300, 200, 100, 50, 100, 70, 30, 100, 10, 2, 1, 0.3, 0.5, 0.2
    };
    static final List<Style> DRIFT_STYLES =
            List.of(
                    Style.CAMEL,
                    Style.LEGACY,
                    Style.STRINGLY,
                    Style.EPOCH_SECONDS,
                    Style.ISO_OFFSET);
    private static final String TOKEN_PATH = "/services/oauth2/token";
    private static final String AUTHORIZE_PATH = "/services/oauth2/authorize";
    private static final String[] DEPENDENCIES = {"ldap", "hsm", "idp"};
    private static final long MIN_BEYOND_MS = Lateness.MIN_BEYOND_BOUND.toMillis();
    private static final long MAX_BEYOND_MS = Lateness.MAX_BEYOND_BOUND.toMillis();
    private static final long SHORT_RETRY_MAX_MS = 5_000;
    private static final long LONG_RETRY_MIN_MS = Duration.ofMinutes(1).toMillis();
    private static final long LONG_RETRY_MAX_MS = Duration.ofMinutes(5).toMillis();

    /** How much later than its gateway line an auth line's event may be stamped at most. */
    private static final long AUTH_SKEW_MAX_MS = 40;

    private final SimulatorConfig config;
    private final DirtRates dirt;
    private final TrafficModel model;
    private final ScenarioTimeline timeline;
    private final List<ScenarioTimeline.Stall> stalls;
    private final Dice dice;
    private final BadRecords bad;
    private final LineRenderer renderer = new LineRenderer();
    private final WeightedChoice<Integer> statuses = new WeightedChoice<>(STATUSES, STATUS_WEIGHTS);
    private final EndpointInfo tokenEndpoint;
    private final EndpointInfo authorizeEndpoint;
    private final long maxJitterMs;
    private final long endMs;
    private final Schedule schedule;

    RequestGenerator(
            SimulatorConfig config,
            TrafficModel model,
            ScenarioTimeline timeline,
            List<ScenarioTimeline.Stall> stalls,
            Dice dice,
            Schedule schedule) {
        this.config = config;
        this.dirt = config.dirt();
        this.model = model;
        this.timeline = timeline;
        this.stalls = List.copyOf(stalls);
        this.dice = dice;
        this.bad = new BadRecords(dice.split());
        this.tokenEndpoint = catalogued(model, TOKEN_PATH);
        this.authorizeEndpoint = catalogued(model, AUTHORIZE_PATH);
        this.maxJitterMs = config.maxJitter().toMillis();
        this.endMs = config.endMs();
        this.schedule = schedule;
    }

    /** The auth service's own endpoints: a catalog without them cannot simulate auth lines. */
    private static EndpointInfo catalogued(TrafficModel model, String path) {
        return model.catalog()
                .resolve(path)
                .orElseThrow(
                        () -> new IllegalArgumentException("the service catalog lacks " + path));
    }

    /** One gateway request whose line would be shipped at {@code baseEmitMs} without delays. */
    void request(long baseEmitMs) {
        Region region = model.regions().pick(dice);
        String az = TrafficModel.availabilityZones(region).get(dice.index(3));
        String node = TrafficModel.gatewayNode(az, dice.index(TrafficModel.gatewayNodesPerAz()));
        String tenant =
                dice.chance(dirt.rate(Dirt.UNKNOWN_TENANT))
                        ? "TRIAL-" + dice.between(10_000, 99_999)
                        : model.tenants().pick(dice);
        EndpointProfile profile = model.endpoints().pick(dice);
        boolean unmapped =
                !model.unmappedPaths().isEmpty() && dice.chance(dirt.rate(Dirt.UNMAPPED_ENDPOINT));
        EndpointProfile.ConcretePath concrete =
                unmapped
                        ? model.unmappedPaths()
                                .get(dice.index(model.unmappedPaths().size()))
                                .concretePath(dice)
                        : profile.concretePath(dice);
        String path = concrete.path();
        EndpointInfo endpoint = concrete.endpoint();

        long jitter = maxJitterMs > 0 ? dice.between(0, maxJitterMs) : 0;
        long eventMs = baseEmitMs - jitter;
        // The incident hits requests by when they happened, not by when their line was shipped.
        double authOutage = region == Region.EMEA ? timeline.emeaAuthSeverity(eventMs) : 0;
        double badDeploy =
                !unmapped && profile == model.hottest() ? timeline.badDeploySeverity(eventMs) : 0;
        int status = gatewayStatus(authOutage, badDeploy);
        double latency = dice.logNormal(profile.latencyMedianMs(), profile.latencySigma());
        latency *= 1 + 4 * badDeploy;
        if (status == 504) {
            latency = 30_000 + dice.between(0, 500);
        } else if (status == 401 || (status == 503 && authOutage > 0)) {
            latency *= 0.3;
        }
        long bytesOut =
                status == 204 || status == 304
                        ? 0
                        : Math.round(
                                status < 400
                                        ? dice.logNormal(profile.bytesMedian(), 0.6)
                                        : dice.logNormal(300, 0.3));
        String userAgent = model.userAgents().pick(dice);
        long emitMs = delayedEmission(az, baseEmitMs, eventMs);
        String requestId = uuid();
        double burst = dirt.rate(Dirt.MALFORMED_BURST) * Math.max(authOutage, badDeploy);

        Lines.Gateway gateway =
                new Lines.Gateway(
                        requestId,
                        tenant,
                        region,
                        az,
                        path,
                        status,
                        Math.round(latency * 10),
                        bytesOut,
                        userAgent,
                        eventMs);
        gatewayLine(gateway, endpoint, node, emitMs, burst);

        if (dice.chance(config.authShare())) {
            long skew = dice.between(0, Math.min(AUTH_SKEW_MAX_MS, maxJitterMs - jitter));
            authLine(
                    requestId,
                    tenant,
                    region,
                    az,
                    userAgent,
                    eventMs - skew,
                    emitMs,
                    authOutage,
                    burst);
        }
    }

    /**
     * A stalled forwarder of the line's AZ holds it until its flush; otherwise a few lines are
     * delivered 13-30 minutes late. Delays that would end after the run are not applied, so every
     * record is emitted within the run's duration.
     */
    private long delayedEmission(String az, long baseEmitMs, long eventMs) {
        for (ScenarioTimeline.Stall stall : stalls) {
            if (stall.holds(az, baseEmitMs)) {
                return stall.flushMs();
            }
        }
        if (dice.chance(dirt.rate(Dirt.BEYOND_BOUND))) {
            long late = eventMs + dice.between(MIN_BEYOND_MS, MAX_BEYOND_MS);
            if (late < endMs) {
                return late;
            }
        }
        return baseEmitMs;
    }

    private int gatewayStatus(double authOutage, double badDeploy) {
        if (authOutage > 0) {
            double u = dice.uniform();
            if (u < 0.15 * authOutage) {
                return 401;
            }
            if (u < 0.27 * authOutage) {
                return 503;
            }
        }
        if (badDeploy > 0) {
            double u = dice.uniform();
            if (u < 0.25 * badDeploy) {
                return 500;
            }
            if (u < 0.30 * badDeploy) {
                return 502;
            }
            if (u < 0.35 * badDeploy) {
                return 503;
            }
        }
        return statuses.pick(dice);
    }

    private void gatewayLine(
            Lines.Gateway line, EndpointInfo endpoint, String node, long emitMs, double burst) {
        byte[] key = node.getBytes(StandardCharsets.UTF_8);
        BadRecords.LineFault fault = bad.pickFault(dirt, burst);
        if (fault != null) {
            byte[] value =
                    switch (fault) {
                        case MALFORMED ->
                                bad.malformed(renderer.gateway(line, Style.CANONICAL, null, null));
                        case NOT_OBJECT ->
                                bad.notObject(renderer.gateway(line, Style.CANONICAL, null, null));
                        case EMPTY -> new byte[0];
                        case MISSING_FIELD ->
                                renderer.gateway(
                                        line,
                                        Style.CANONICAL,
                                        bad.missing(BadRecords.GATEWAY_REQUIRED),
                                        null);
                        case INVALID_VALUE ->
                                renderer.gateway(
                                        line,
                                        Style.CANONICAL,
                                        bad.invalid(BadRecords.GATEWAY_INVALID),
                                        null);
                    };
            schedule.add(
                    emitMs,
                    RawTopic.GATEWAY,
                    key,
                    value,
                    Expectation.deadLetter(EventKind.REQUEST, fault.reason),
                    null,
                    false);
            return;
        }
        Style style = pickStyle();
        Lines.Gateway spelled = line;
        if (style != Style.CANONICAL) {
            boolean dropOptional = dice.chance(0.1);
            spelled =
                    new Lines.Gateway(
                            line.requestId(),
                            line.tenantId(),
                            line.region(),
                            line.az(),
                            line.path(),
                            line.httpStatus(),
                            dropOptional ? Lines.ABSENT : line.latencyTenths(),
                            dropOptional ? Lines.ABSENT : line.bytesOut(),
                            line.userAgent(),
                            style.representable(line.eventTimeMs(), emitMs));
        }
        LogicalRequest truth =
                new LogicalRequest(
                        RequestSource.GATEWAY,
                        spelled.requestId(),
                        spelled.tenantId(),
                        model.directory().tierOf(spelled.tenantId()),
                        spelled.region(),
                        spelled.az(),
                        spelled.path(),
                        endpoint.template(),
                        endpoint.product(),
                        endpoint.service(),
                        spelled.httpStatus(),
                        spelled.latencyTenths() == Lines.ABSENT
                                ? Double.NaN
                                : spelled.latencyTenths() / 10.0,
                        spelled.bytesOut() == Lines.ABSENT ? 0 : spelled.bytesOut(),
                        spelled.userAgent(),
                        null,
                        Double.NaN,
                        null,
                        spelled.eventTimeMs(),
                        emitMs,
                        Lateness.ofDelay(emitMs - spelled.eventTimeMs(), maxJitterMs));
        schedule.add(
                emitMs,
                RawTopic.GATEWAY,
                key,
                renderer.gateway(spelled, style, null, null),
                Expectation.oneRequest(),
                truth,
                false);
        if (dice.chance(dirt.rate(Dirt.DUPLICATE))) {
            long retryMs = emitMs + retryDelay();
            if (retryMs < endMs) {
                String retryNode =
                        TrafficModel.gatewayNode(
                                line.az(), dice.index(TrafficModel.gatewayNodesPerAz()));
                schedule.add(
                        retryMs,
                        RawTopic.GATEWAY,
                        retryNode.getBytes(StandardCharsets.UTF_8),
                        renderer.gateway(spelled, style, null, dice.chance(0.5) ? retryNode : null),
                        Expectation.oneRequest(),
                        null,
                        true);
            }
        }
    }

    private void authLine(
            String requestId,
            String tenant,
            Region region,
            String az,
            String userAgent,
            long eventMs,
            long emitMs,
            double authOutage,
            double burst) {
        boolean mint = dice.chance(0.8);
        AuthOutcome outcome = authOutcome(authOutage);
        long mintTenths = Lines.ABSENT;
        if (mint) {
            double latency =
                    outcome == AuthOutcome.TIMEOUT
                            ? 3_000 + dice.between(0, 2_000)
                            : dice.logNormal(25, 0.5) * (1 + 9 * authOutage);
            mintTenths = Math.round(latency * 10);
        }
        String dependency = null;
        if (outcome == AuthOutcome.DEPENDENCY_ERROR) {
            dependency =
                    authOutage > 0 && dice.chance(0.8)
                            ? "hsm"
                            : DEPENDENCIES[dice.index(DEPENDENCIES.length)];
        }
        String node = TrafficModel.authNode(az, dice.index(TrafficModel.authNodesPerAz()));
        Lines.Auth line =
                new Lines.Auth(
                        requestId,
                        tenant,
                        region,
                        az,
                        mint ? "token_mint" : "login",
                        outcome,
                        mintTenths,
                        dependency,
                        mint ? TOKEN_PATH : AUTHORIZE_PATH,
                        userAgent,
                        eventMs);
        byte[] key = node.getBytes(StandardCharsets.UTF_8);
        BadRecords.LineFault fault = bad.pickFault(dirt, burst);
        if (fault != null) {
            byte[] value =
                    switch (fault) {
                        case MALFORMED ->
                                bad.malformed(renderer.auth(line, Style.CANONICAL, null, null));
                        case NOT_OBJECT ->
                                bad.notObject(renderer.auth(line, Style.CANONICAL, null, null));
                        case EMPTY -> new byte[0];
                        case MISSING_FIELD ->
                                renderer.auth(
                                        line,
                                        Style.CANONICAL,
                                        bad.missing(BadRecords.AUTH_REQUIRED),
                                        null);
                        case INVALID_VALUE ->
                                renderer.auth(
                                        line,
                                        Style.CANONICAL,
                                        bad.invalid(BadRecords.AUTH_INVALID),
                                        null);
                    };
            schedule.add(
                    emitMs,
                    RawTopic.AUTH,
                    key,
                    value,
                    Expectation.deadLetter(EventKind.REQUEST, fault.reason),
                    null,
                    false);
            return;
        }
        Style style = pickStyle();
        Lines.Auth spelled = line;
        if (style != Style.CANONICAL) {
            // Without an endpoint the data model defaults to the token endpoint: only token
            // mints may drop it without changing the event.
            boolean dropEndpoint = mint && dice.chance(0.5);
            spelled =
                    new Lines.Auth(
                            line.requestId(),
                            line.tenantId(),
                            line.region(),
                            line.az(),
                            line.operation(),
                            line.outcome(),
                            line.mintLatencyTenths(),
                            line.dependency(),
                            dropEndpoint ? null : line.endpoint(),
                            line.userAgent(),
                            style.representable(line.eventTimeMs(), emitMs));
        }
        EndpointInfo endpoint = mint ? tokenEndpoint : authorizeEndpoint;
        LogicalRequest truth =
                new LogicalRequest(
                        RequestSource.AUTH,
                        spelled.requestId(),
                        spelled.tenantId(),
                        model.directory().tierOf(spelled.tenantId()),
                        spelled.region(),
                        spelled.az(),
                        mint ? TOKEN_PATH : AUTHORIZE_PATH,
                        endpoint.template(),
                        endpoint.product(),
                        endpoint.service(),
                        0,
                        Double.NaN,
                        0,
                        spelled.userAgent(),
                        spelled.outcome(),
                        spelled.mintLatencyTenths() == Lines.ABSENT
                                ? Double.NaN
                                : spelled.mintLatencyTenths() / 10.0,
                        spelled.dependency(),
                        spelled.eventTimeMs(),
                        emitMs,
                        Lateness.ofDelay(emitMs - spelled.eventTimeMs(), maxJitterMs));
        schedule.add(
                emitMs,
                RawTopic.AUTH,
                key,
                renderer.auth(spelled, style, null, null),
                Expectation.oneRequest(),
                truth,
                false);
        if (dice.chance(dirt.rate(Dirt.DUPLICATE))) {
            long retryMs = emitMs + retryDelay();
            if (retryMs < endMs) {
                String retryNode =
                        TrafficModel.authNode(az, dice.index(TrafficModel.authNodesPerAz()));
                schedule.add(
                        retryMs,
                        RawTopic.AUTH,
                        retryNode.getBytes(StandardCharsets.UTF_8),
                        renderer.auth(spelled, style, null, dice.chance(0.5) ? retryNode : null),
                        Expectation.oneRequest(),
                        null,
                        true);
            }
        }
    }

    private AuthOutcome authOutcome(double authOutage) {
        if (authOutage > 0 && dice.chance(0.8 * authOutage)) {
            return dice.chance(0.65) ? AuthOutcome.DEPENDENCY_ERROR : AuthOutcome.TIMEOUT;
        }
        // 0.1 % of operations failed by the service, inside the premium tier's 0.5 % budget
        double u = dice.uniform();
        if (u < 0.966) {
            return AuthOutcome.SUCCESS;
        }
        if (u < 0.999) {
            return AuthOutcome.INVALID_CREDENTIALS;
        }
        if (u < 0.9994) {
            return AuthOutcome.DEPENDENCY_ERROR;
        }
        if (u < 0.9998) {
            return AuthOutcome.TIMEOUT;
        }
        return AuthOutcome.INTERNAL_ERROR;
    }

    private Style pickStyle() {
        return dice.chance(dirt.rate(Dirt.DRIFT))
                ? DRIFT_STYLES.get(dice.index(DRIFT_STYLES.size()))
                : Style.CANONICAL;
    }

    /** Most retries follow within seconds; some client back-offs take minutes. */
    private long retryDelay() {
        return dice.chance(0.2)
                ? dice.between(LONG_RETRY_MIN_MS, LONG_RETRY_MAX_MS)
                : dice.between(50, SHORT_RETRY_MAX_MS);
    }

    /** A random UUID in the version 4 layout, drawn from the seeded dice. */
    private String uuid() {
        char[] text = new char[36];
        long high = dice.nextLong();
        long low = dice.nextLong();
        for (int i = 0, nibble = 0; i < 36; i++) {
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                text[i] = '-';
                continue;
            }
            long bits = nibble < 16 ? high >>> (4 * nibble) : low >>> (4 * (nibble - 16));
            text[i] = Character.forDigit((int) (bits & 0xF), 16);
            nibble++;
        }
        text[14] = '4';
        text[19] = "89ab".charAt((int) (low >>> 62));
        return new String(text);
    }
}
