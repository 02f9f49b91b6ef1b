package dev.servicehealth.ingest.normalize;

import static dev.servicehealth.ingest.parse.FieldSpec.FieldType.DOUBLE;
import static dev.servicehealth.ingest.parse.FieldSpec.FieldType.INT;
import static dev.servicehealth.ingest.parse.FieldSpec.FieldType.STRING;
import static dev.servicehealth.ingest.parse.FieldSpec.FieldType.TIMESTAMP;
import static dev.servicehealth.ingest.parse.FieldSpec.optional;
import static dev.servicehealth.ingest.parse.FieldSpec.required;

import dev.servicehealth.ingest.parse.FlatJsonReader;
import dev.servicehealth.ingest.parse.ParsedLine;
import dev.servicehealth.ingest.parse.RejectedRecord;
import dev.servicehealth.model.AuthOutcome;
import dev.servicehealth.model.DeadLetterReason;
import dev.servicehealth.model.Region;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.RequestSource;
import dev.servicehealth.model.TenantTier;
import dev.servicehealth.model.reference.EndpointInfo;
import java.util.List;

/**
 * Turns gateway and auth JSON lines into {@link RequestEvent}s: parse, validate, enrich with tier
 * and catalog, tokenize the tenant. Field names and aliases follow docs/data-model.md.
 */
final class RequestLineNormalizer {
    static final String DEFAULT_AUTH_ENDPOINT = "/services/oauth2/token";

    private final FlatJsonReader gateway =
            new FlatJsonReader(
                    List.of(
                            required("request_id", STRING, "requestId", "req_id"),
                            required("tenant_id", STRING, "tenantId", "tenant"),
                            required("region", STRING),
                            optional("az", STRING, "availability_zone"),
                            required("endpoint", STRING, "path", "uri"),
                            required("http_status", INT, "status", "statusCode", "status_code"),
                            optional("latency_ms", DOUBLE, "latencyMs", "duration_ms"),
                            optional("bytes_out", INT, "bytesOut", "response_bytes"),
                            optional("user_agent", STRING, "userAgent", "ua"),
                            required("timestamp", TIMESTAMP, "ts", "@timestamp", "time")));

    private final FlatJsonReader auth =
            new FlatJsonReader(
                    List.of(
                            required("request_id", STRING, "requestId", "req_id"),
                            required("tenant_id", STRING, "tenantId", "tenant"),
                            required("region", STRING),
                            optional("az", STRING, "availability_zone"),
                            optional("operation", STRING, "op", "event"),
                            required("outcome", STRING, "result"),
                            optional(
                                    "token_mint_latency_ms",
                                    DOUBLE,
                                    "mint_latency_ms",
                                    "latency_ms"),
                            optional("dependency", STRING, "dependency_name"),
                            optional("endpoint", STRING, "path"),
                            optional("user_agent", STRING, "userAgent", "ua"),
                            required("timestamp", TIMESTAMP, "ts", "@timestamp", "time")));

    private final int gwRequestId = gateway.indexOf("request_id");
    private final int gwTenant = gateway.indexOf("tenant_id");
    private final int gwRegion = gateway.indexOf("region");
    private final int gwAz = gateway.indexOf("az");
    private final int gwEndpoint = gateway.indexOf("endpoint");
    private final int gwStatus = gateway.indexOf("http_status");
    private final int gwLatency = gateway.indexOf("latency_ms");
    private final int gwBytes = gateway.indexOf("bytes_out");
    private final int gwAgent = gateway.indexOf("user_agent");
    private final int gwTime = gateway.indexOf("timestamp");

    private final int auRequestId = auth.indexOf("request_id");
    private final int auTenant = auth.indexOf("tenant_id");
    private final int auRegion = auth.indexOf("region");
    private final int auAz = auth.indexOf("az");
    private final int auOutcome = auth.indexOf("outcome");
    private final int auMintLatency = auth.indexOf("token_mint_latency_ms");
    private final int auDependency = auth.indexOf("dependency");
    private final int auEndpoint = auth.indexOf("endpoint");
    private final int auAgent = auth.indexOf("user_agent");
    private final int auTime = auth.indexOf("timestamp");

    private final Enricher enricher;
    private final NormalizerMetrics metrics;
    private final SchemaDriftTracker drift;

    RequestLineNormalizer(Enricher enricher, NormalizerMetrics metrics, SchemaDriftTracker drift) {
        this.enricher = enricher;
        this.metrics = metrics;
        this.drift = drift;
    }

    RequestEvent gateway(byte[] value, long ingestTimeMs) throws RejectedRecord {
        ParsedLine line = gateway.read(value);
        metrics.parsed(SourceKind.GATEWAY, line);
        drift.observe(SourceKind.GATEWAY, line.string(gwAgent), line, ingestTimeMs);
        int status = (int) line.longValue(gwStatus);
        if (line.longValue(gwStatus) < 100 || line.longValue(gwStatus) > 599) {
            throw new RejectedRecord(
                    DeadLetterReason.INVALID_FIELD_VALUE,
                    "http_status " + line.longValue(gwStatus) + " is not 100-599");
        }
        double latency = line.has(gwLatency) ? line.doubleValue(gwLatency) : Double.NaN;
        if (latency < 0) {
            throw new RejectedRecord(
                    DeadLetterReason.INVALID_FIELD_VALUE, "latency_ms " + latency + " < 0");
        }
        long bytesOut = line.has(gwBytes) ? line.longValue(gwBytes) : 0L;
        if (bytesOut < 0) {
            throw new RejectedRecord(
                    DeadLetterReason.INVALID_FIELD_VALUE, "bytes_out " + bytesOut + " < 0");
        }
        String tenantId = line.string(gwTenant);
        EndpointInfo endpoint =
                enricher.endpoint(
                        SourceKind.GATEWAY,
                        line.string(gwAgent),
                        line.string(gwEndpoint),
                        line.longValue(gwTime),
                        ingestTimeMs);
        return new RequestEvent(
                RequestSource.GATEWAY,
                line.string(gwRequestId),
                enricher.tokenOf(tenantId),
                tier(SourceKind.GATEWAY, tenantId),
                region(line.string(gwRegion)),
                line.string(gwAz),
                endpoint.product(),
                endpoint.service(),
                endpoint.template(),
                status,
                latency,
                bytesOut,
                line.string(gwAgent),
                line.longValue(gwTime),
                ingestTimeMs,
                null,
                Double.NaN,
                null);
    }

    RequestEvent auth(byte[] value, long ingestTimeMs) throws RejectedRecord {
        ParsedLine line = auth.read(value);
        metrics.parsed(SourceKind.AUTH, line);
        drift.observe(SourceKind.AUTH, line.string(auAgent), line, ingestTimeMs);
        AuthOutcome outcome =
                AuthOutcome.parse(line.string(auOutcome))
                        .orElseThrow(
                                () ->
                                        new RejectedRecord(
                                                DeadLetterReason.INVALID_FIELD_VALUE,
                                                "outcome \"" + line.string(auOutcome) + "\""));
        double mintLatency = line.has(auMintLatency) ? line.doubleValue(auMintLatency) : Double.NaN;
        if (mintLatency < 0) {
            throw new RejectedRecord(
                    DeadLetterReason.INVALID_FIELD_VALUE,
                    "token_mint_latency_ms " + mintLatency + " < 0");
        }
        String tenantId = line.string(auTenant);
        String path = line.has(auEndpoint) ? line.string(auEndpoint) : DEFAULT_AUTH_ENDPOINT;
        EndpointInfo endpoint =
                enricher.endpoint(
                        SourceKind.AUTH,
                        line.string(auAgent),
                        path,
                        line.longValue(auTime),
                        ingestTimeMs);
        return new RequestEvent(
                RequestSource.AUTH,
                line.string(auRequestId),
                enricher.tokenOf(tenantId),
                tier(SourceKind.AUTH, tenantId),
                region(line.string(auRegion)),
                line.string(auAz),
                endpoint.product(),
                endpoint.service(),
                endpoint.template(),
                0,
                Double.NaN,
                0L,
                line.string(auAgent),
                line.longValue(auTime),
                ingestTimeMs,
                outcome,
                mintLatency,
                line.string(auDependency));
    }

    private TenantTier tier(SourceKind source, String tenantId) {
        TenantTier tier = enricher.tierOf(tenantId);
        if (tier == TenantTier.UNKNOWN) {
            metrics.unknownTenant(source);
        }
        return tier;
    }

    static Region region(String code) throws RejectedRecord {
        Region region = Region.parse(code).orElse(null);
        if (region == null) {
            throw new RejectedRecord(
                    DeadLetterReason.INVALID_FIELD_VALUE, "region \"" + code + "\" is unknown");
        }
        return region;
    }
}
