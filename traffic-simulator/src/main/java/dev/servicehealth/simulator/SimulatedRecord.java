package dev.servicehealth.simulator;

import java.util.Arrays;
import java.util.Objects;

/**
 * One raw record as a producer would send it, with what the normalizer must make of it.
 *
 * <p>Equality compares the bytes of key and value, so two runs can be compared record by record.
 *
 * @param topic the (mapped) topic name
 * @param key the Kafka key as the source ships it (gateway or auth node id), or {@code null}
 * @param value the record value exactly as produced; may be empty or not even JSON on purpose
 * @param timestampMs the Kafka CreateTime: the simulated emission time, not the event time
 * @param expectation what a correct normalizer makes of this record
 */
public record SimulatedRecord(
        String topic, byte[] key, byte[] value, long timestampMs, Expectation expectation) {

    public SimulatedRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expectation, "expectation");
    }

    /** The record without its expectation, as it travels through Kafka or a capture. */
    public CapturedRecord captured() {
        return new CapturedRecord(topic, key, value, timestampMs);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SimulatedRecord that
                && timestampMs == that.timestampMs
                && topic.equals(that.topic)
                && Arrays.equals(key, that.key)
                && Arrays.equals(value, that.value)
                && expectation.equals(that.expectation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(key), Arrays.hashCode(value), timestampMs);
    }

    @Override
    public String toString() {
        return CapturedRecord.describe(topic, key, value, timestampMs) + " " + expectation;
    }
}
