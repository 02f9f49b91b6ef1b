package dev.servicehealth.ingest.normalize;

import static dev.servicehealth.ingest.parse.FieldSpec.FieldType.STRING;
import static dev.servicehealth.ingest.parse.FieldSpec.FieldType.TIMESTAMP;
import static dev.servicehealth.ingest.parse.FieldSpec.optional;
import static dev.servicehealth.ingest.parse.FieldSpec.required;

import dev.servicehealth.ingest.parse.FlatJsonReader;
import dev.servicehealth.ingest.parse.ParsedLine;
import dev.servicehealth.ingest.parse.RejectedRecord;
import dev.servicehealth.model.DeadLetterReason;
import dev.servicehealth.model.Region;
import dev.servicehealth.model.StatusEvent;
import dev.servicehealth.model.StatusKind;
import java.util.List;

/** Turns deploy, feature-flag and incident JSON lines into {@link StatusEvent}s. */
final class StatusLineNormalizer {
    private final FlatJsonReader reader =
            new FlatJsonReader(
                    List.of(
                            required("event_id", STRING, "id"),
                            required("type", STRING, "kind"),
                            optional("origin", STRING, "source"),
                            optional("region", STRING),
                            required("service", STRING),
                            optional("endpoint", STRING, "path"),
                            optional("summary", STRING, "description", "message"),
                            optional("version", STRING, "ticket", "flag"),
                            required("timestamp", TIMESTAMP, "ts", "@timestamp", "time")));

    private final int eventId = reader.indexOf("event_id");
    private final int type = reader.indexOf("type");
    private final int origin = reader.indexOf("origin");
    private final int region = reader.indexOf("region");
    private final int service = reader.indexOf("service");
    private final int endpoint = reader.indexOf("endpoint");
    private final int summary = reader.indexOf("summary");
    private final int version = reader.indexOf("version");
    private final int timestamp = reader.indexOf("timestamp");

    private final Enricher enricher;
    private final NormalizerMetrics metrics;
    private final SchemaDriftTracker drift;

    StatusLineNormalizer(Enricher enricher, NormalizerMetrics metrics, SchemaDriftTracker drift) {
        this.enricher = enricher;
        this.metrics = metrics;
        this.drift = drift;
    }

    StatusEvent normalize(byte[] value, long ingestTimeMs) throws RejectedRecord {
        ParsedLine line = reader.read(value);
        metrics.parsed(SourceKind.STATUS, line);
        drift.observe(SourceKind.STATUS, line.string(origin), line, ingestTimeMs);
        StatusKind kind =
                StatusKind.parse(line.string(type))
                        .orElseThrow(
                                () ->
                                        new RejectedRecord(
                                                DeadLetterReason.UNSUPPORTED_EVENT_TYPE,
                                                "type \"" + line.string(type) + "\""));
        Region eventRegion =
                line.has(region) ? RequestLineNormalizer.region(line.string(region)) : null;
        String path = line.string(endpoint);
        String endpointTemplate =
                path == null
                        ? ""
                        : enricher.endpoint(
                                        SourceKind.STATUS,
                                        line.string(origin),
                                        path,
                                        line.longValue(timestamp),
                                        ingestTimeMs)
                                .template();
        return new StatusEvent(
                line.string(eventId),
                kind,
                line.string(origin),
                eventRegion,
                line.string(service),
                endpointTemplate,
                line.longValue(timestamp),
                line.string(summary),
                line.string(version),
                ingestTimeMs);
    }
}
