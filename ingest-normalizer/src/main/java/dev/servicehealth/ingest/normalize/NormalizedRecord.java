package dev.servicehealth.ingest.normalize;

import dev.servicehealth.model.EventKind;

/**
 * A canonical event in its wire format, ready for its normalized topic: key and value bytes, and
 * the event time, which becomes the Kafka record timestamp.
 */
public record NormalizedRecord(EventKind kind, byte[] key, byte[] value, long eventTimeMs) {}
