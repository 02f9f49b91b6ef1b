package dev.servicehealth.dedup;

import dev.servicehealth.model.EventKind;

/**
 * A record of a normalized topic as the dedup job carries it: the wire bytes untouched (the job
 * never re-encodes an event), its kind and identity, its event time (from its header) and its clock
 * (the Kafka timestamp: the watermark of its raw partition when it was read, decision 0009).
 *
 * @param key the Kafka key, {@code null} if the record had none (then the identity is a hash of the
 *     value: only byte-identical copies are recognised)
 */
public record NormalizedEvent(
        EventKind kind,
        EventIdentity identity,
        byte[] key,
        byte[] value,
        long eventTimeMs,
        long clockMs) {}
