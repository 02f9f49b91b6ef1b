package dev.servicehealth.ingest.normalize;

/**
 * A record as read from a raw topic, with its coordinates so a dead letter can point back at it.
 * Byte arrays are not copied: the record is immutable by convention once read.
 */
public record RawRecord(
        String topic, int partition, long offset, long timestampMs, byte[] key, byte[] value) {}
