package dev.servicehealth.ingest.normalize;

import dev.servicehealth.model.EventKind;

/**
 * A canonical event in its wire format, ready for its normalized topic: key and value bytes, and
 * the clock of the raw partition it came from as of its raw record ({@link RawPartitionClocks}),
 * which becomes the Kafka record timestamp. The event time is in the value and, for the dedup job,
 * which never decodes one, in a header ({@link
 * dev.servicehealth.runtime.clock.PipelineClock#EVENT_TIME_HEADER}).
 */
public record NormalizedRecord(
        EventKind kind, byte[] key, byte[] value, long eventTimeMs, long clockMs) {}
