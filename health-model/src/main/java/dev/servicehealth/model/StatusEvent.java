package dev.servicehealth.model;

import java.util.Objects;

/**
 * A deploy, feature-flag change or incident ticket. {@code region} is {@code null} for a global
 * change; {@code endpoint} is empty when the change is not specific to one endpoint.
 */
public record StatusEvent(
        String eventId,
        StatusKind kind,
        String origin,
        Region region,
        String service,
        String endpoint,
        long eventTimeMs,
        String summary,
        String version,
        long ingestTimeMs) {

    public StatusEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(kind, "kind");
    }
}
