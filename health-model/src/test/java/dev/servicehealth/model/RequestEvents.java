package dev.servicehealth.model;

/**
 * Fluent test data for {@link RequestEvent}: a plain gateway request or auth operation, with only
 * what a test cares about changed.
 */
public final class RequestEvents {
    /** 2026-11-22T10:00:00Z, a fixed instant so encoded bytes do not depend on the clock. */
    public static final long T = 1_795_341_600_000L;

    private RequestSource source;
    private String requestId = "r";
    private long eventTimeMs = T;
    private long ingestTimeMs = T;
    private TenantTier tier = TenantTier.FREE;
    private String tenantToken = "t";
    private Region region = Region.NA;
    private String service = "";
    private String availabilityZone = "";
    private int httpStatus;
    private double latencyMs;
    private long bytesOut;
    private String userAgent = "";
    private AuthOutcome authOutcome;
    private double tokenMintLatencyMs;

    private RequestEvents() {}

    /** A gateway request answered 200 in 10 ms with 100 bytes. */
    public static RequestEvents gateway() {
        RequestEvents e = new RequestEvents();
        e.source = RequestSource.GATEWAY;
        e.httpStatus = 200;
        e.latencyMs = 10;
        e.bytesOut = 100;
        e.tokenMintLatencyMs = Double.NaN;
        return e;
    }

    /** An auth operation with the given outcome, minted in 5 ms. */
    public static RequestEvents auth(AuthOutcome outcome) {
        RequestEvents e = new RequestEvents();
        e.source = RequestSource.AUTH;
        e.latencyMs = Double.NaN;
        e.authOutcome = outcome;
        e.tokenMintLatencyMs = 5;
        return e;
    }

    public RequestEvents requestId(String requestId) {
        this.requestId = requestId;
        return this;
    }

    public RequestEvents eventTime(long eventTimeMs) {
        this.eventTimeMs = eventTimeMs;
        return this;
    }

    /** When the pipeline received it; a redelivered copy differs from the first only here. */
    public RequestEvents ingestTime(long ingestTimeMs) {
        this.ingestTimeMs = ingestTimeMs;
        return this;
    }

    public RequestEvents status(int status) {
        this.httpStatus = status;
        return this;
    }

    public RequestEvents latency(double latencyMs) {
        this.latencyMs = latencyMs;
        return this;
    }

    public RequestEvents tenant(String tenantToken, TenantTier tier) {
        this.tenantToken = tenantToken;
        this.tier = tier;
        return this;
    }

    public RequestEvents region(Region region) {
        this.region = region;
        return this;
    }

    public RequestEvents service(String service) {
        this.service = service;
        return this;
    }

    public RequestEvents tier(TenantTier tier) {
        this.tier = tier;
        return this;
    }

    /** The zone the line named; empty (the default) when it named none. */
    public RequestEvents zone(String availabilityZone) {
        this.availabilityZone = availabilityZone;
        return this;
    }

    public RequestEvents userAgent(String userAgent) {
        this.userAgent = userAgent;
        return this;
    }

    public RequestEvent build() {
        return new RequestEvent(
                source,
                requestId,
                tenantToken,
                tier,
                region,
                availabilityZone,
                "",
                service,
                "",
                httpStatus,
                latencyMs,
                bytesOut,
                userAgent,
                eventTimeMs,
                ingestTimeMs,
                authOutcome,
                tokenMintLatencyMs,
                "");
    }
}
