package dev.servicehealth.simulator;

import dev.servicehealth.model.Region;
import java.util.Locale;

/**
 * Spells out gateway, auth and status lines in a {@link Style}, optionally with one {@link
 * Lines.Defect}. Not thread-safe: it reuses one buffer.
 */
final class LineRenderer {
    static final String[] REQUEST_ID = {"request_id", "requestId", "req_id"};
    static final String[] TENANT_ID = {"tenant_id", "tenantId", "tenant"};
    static final String[] REGION = {"region"};
    static final String[] AZ = {"az", "az", "availability_zone"};
    static final String[] GATEWAY_ENDPOINT = {"endpoint", "path", "uri"};
    static final String[] HTTP_STATUS = {"http_status", "statusCode", "status_code", "status"};
    static final String[] LATENCY_MS = {"latency_ms", "latencyMs", "duration_ms"};
    static final String[] BYTES_OUT = {"bytes_out", "bytesOut", "response_bytes"};
    static final String[] USER_AGENT = {"user_agent", "userAgent", "ua"};
    static final String[] OPERATION = {"operation", "op", "event"};
    static final String[] OUTCOME = {"outcome", "result"};
    static final String[] MINT_LATENCY = {"token_mint_latency_ms", "mint_latency_ms", "latency_ms"};
    static final String[] DEPENDENCY = {"dependency", "dependency_name"};
    static final String[] AUTH_ENDPOINT = {"endpoint", "path"};
    static final String[] EVENT_ID = {"event_id", "id"};
    static final String[] TYPE = {"type", "kind"};
    static final String[] ORIGIN = {"origin", "source"};
    static final String[] SERVICE = {"service"};
    static final String[] STATUS_ENDPOINT = {"endpoint", "path"};
    static final String[] SUMMARY = {"summary", "description", "message"};
    static final String TIMESTAMP = "timestamp";

    private final JsonLine out = new JsonLine();

    /**
     * @param extraNode when not null, an unknown {@code gateway_node} field a retry may add
     */
    byte[] gateway(Lines.Gateway line, Style style, Lines.Defect defect, String extraNode) {
        out.begin();
        if (field(TIMESTAMP_NAMES, style, defect)) {
            style.writeTimestamp(out, line.eventTimeMs(), line.region());
        }
        if (named(REQUEST_ID, style, defect)) {
            out.string(line.requestId());
        }
        if (named(TENANT_ID, style, defect)) {
            out.string(line.tenantId());
        }
        if (named(REGION, style, defect)) {
            out.string(style.region(line.region()));
        }
        if (named(AZ, style, defect)) {
            out.string(line.az());
        }
        if (named(GATEWAY_ENDPOINT, style, defect)) {
            out.string(line.path());
        }
        if (named(HTTP_STATUS, style, defect)) {
            integer(style, line.httpStatus());
        }
        if (line.latencyTenths() != Lines.ABSENT && named(LATENCY_MS, style, defect)) {
            decimal(style, line.latencyTenths());
        }
        if (line.bytesOut() != Lines.ABSENT && named(BYTES_OUT, style, defect)) {
            integer(style, line.bytesOut());
        }
        if (named(USER_AGENT, style, defect)) {
            out.string(line.userAgent());
        }
        extraFields(style, line.requestId(), "gateway_version", "1.8.2");
        if (extraNode != null) {
            out.name("gateway_node").string(extraNode);
        }
        return out.end();
    }

    byte[] auth(Lines.Auth line, Style style, Lines.Defect defect, String extraNode) {
        out.begin();
        if (field(TIMESTAMP_NAMES, style, defect)) {
            style.writeTimestamp(out, line.eventTimeMs(), line.region());
        }
        if (named(REQUEST_ID, style, defect)) {
            out.string(line.requestId());
        }
        if (named(TENANT_ID, style, defect)) {
            out.string(line.tenantId());
        }
        if (named(REGION, style, defect)) {
            out.string(style.region(line.region()));
        }
        if (named(AZ, style, defect)) {
            out.string(line.az());
        }
        if (named(OPERATION, style, defect)) {
            out.string(line.operation());
        }
        if (named(OUTCOME, style, defect)) {
            out.string(line.outcome().name().toLowerCase(Locale.ROOT));
        }
        if (line.mintLatencyTenths() != Lines.ABSENT && named(MINT_LATENCY, style, defect)) {
            decimal(style, line.mintLatencyTenths());
        }
        if (line.dependency() != null && named(DEPENDENCY, style, defect)) {
            out.string(line.dependency());
        }
        if (line.endpoint() != null && named(AUTH_ENDPOINT, style, defect)) {
            out.string(line.endpoint());
        }
        if (named(USER_AGENT, style, defect)) {
            out.string(line.userAgent());
        }
        extraFields(style, line.requestId(), "auth_build", "identity-2026.11.2");
        if (extraNode != null) {
            out.name("auth_node").string(extraNode);
        }
        return out.end();
    }

    byte[] status(Lines.Status line, Style style, Lines.Defect defect) {
        out.begin();
        if (field(TIMESTAMP_NAMES, style, defect)) {
            style.writeTimestamp(
                    out, line.eventTimeMs(), line.region() == null ? Region.NA : line.region());
        }
        if (named(EVENT_ID, style, defect)) {
            out.string(line.eventId());
        }
        if (named(TYPE, style, defect)) {
            out.string(line.type());
        }
        if (named(ORIGIN, style, defect)) {
            out.string(line.origin());
        }
        if (line.region() != null && named(REGION, style, defect)) {
            out.string(style.region(line.region()));
        }
        if (named(SERVICE, style, defect)) {
            out.string(line.service());
        }
        if (line.endpoint() != null && named(STATUS_ENDPOINT, style, defect)) {
            out.string(line.endpoint());
        }
        if (named(SUMMARY, style, defect)) {
            out.string(line.summary());
        }
        if (line.version() != null && field(VERSION_NAMES, style, defect)) {
            out.name(versionName(line.type(), style)).string(line.version());
        }
        return out.end();
    }

    /** The data model's aliases of {@code version} name what the version is for its type. */
    private static String versionName(String type, Style style) {
        if (style == Style.CANONICAL) {
            return "version";
        }
        return switch (type) {
            case "incident" -> "ticket";
            case "feature_flag" -> "flag";
            default -> "version";
        };
    }

    private static final String[] TIMESTAMP_NAMES = {TIMESTAMP};
    private static final String[] VERSION_NAMES = {"version"};

    /**
     * Writes the field's name as the style spells it and returns true, unless the defect targets
     * this field: then it writes the defect (or nothing) under the canonical name and returns
     * false.
     */
    private boolean named(String[] names, Style style, Lines.Defect defect) {
        if (field(names, style, defect)) {
            out.name(style.name(names));
            return true;
        }
        return false;
    }

    /** Like {@link #named} but leaves writing the name to the caller. */
    private boolean field(String[] names, Style style, Lines.Defect defect) {
        if (defect != null && defect.field().equals(names[0])) {
            if (defect.replacementJson() != null) {
                out.name(names[0]).raw(defect.replacementJson());
            }
            return false;
        }
        return true;
    }

    private void integer(Style style, long value) {
        if (style.numbersAsStrings()) {
            out.quotedNumber(value);
        } else {
            out.number(value);
        }
    }

    private void decimal(Style style, long tenths) {
        if (style.numbersAsStrings()) {
            out.quotedTenths(tenths);
        } else {
            out.tenths(tenths);
        }
    }

    private void extraFields(Style style, String requestId, String versionField, String version) {
        switch (style) {
            case LEGACY -> out.name(versionField).string(version);
            case EPOCH_SECONDS -> out.name("trace_id").string(requestId.replace("-", ""));
            case ISO_OFFSET -> out.name("schema").string("v2").name("tls").string("TLSv1.3");
            default -> {}
        }
    }
}
