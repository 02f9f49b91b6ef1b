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
        long clockMs) {

    /** The event of a normalized record: its identity hashed from the key, or the value without. */
    public static NormalizedEvent of(
            EventKind kind, byte[] key, byte[] value, long eventTimeMs, long clockMs) {
        return new NormalizedEvent(
                kind,
                EventIdentity.of(kind, key == null ? value : key),
                key,
                value,
                eventTimeMs,
                clockMs);
    }
}
