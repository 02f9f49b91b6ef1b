package dev.servicehealth.simulator;

import dev.servicehealth.model.AuthOutcome;
import dev.servicehealth.model.Region;

/** The content of the raw lines before they are spelled out by a {@link Style}. */
final class Lines {
    /** Marks an optional numeric field as absent from the line. */
    static final long ABSENT = -1;

    private Lines() {}

    /** One API gateway access-log line. */
    record Gateway(
            String requestId,
            String tenantId,
            Region region,
            String az,
            String path,
            int httpStatus,
            long latencyTenths,
            long bytesOut,
            String userAgent,
            long eventTimeMs) {}

    /** One auth-service line: a login or a token mint. {@code endpoint} may be null (absent). */
    record Auth(
            String requestId,
            String tenantId,
            Region region,
            String az,
            String operation,
            AuthOutcome outcome,
            long mintLatencyTenths,
            String dependency,
            String endpoint,
            String userAgent,
            long eventTimeMs) {}

    /** One status signal. {@code region} null means global; {@code endpoint} may be null. */
    record Status(
            String eventId,
            String type,
            String origin,
            Region region,
            String service,
            String endpoint,
            String summary,
            String version,
            long eventTimeMs) {}

    /**
     * A single deliberate fault in an otherwise canonical line: the field is dropped when {@code
     * replacementJson} is null, otherwise its value is replaced by that JSON text (e.g. {@code
     * null} or {@code "abc"}).
     */
    record Defect(String field, String replacementJson) {}
}
