package dev.servicehealth.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A raw record as it travels through Kafka or a capture directory: topic, key, value, timestamp.
 * Equality compares the bytes of key and value.
 *
 * @param key {@code null} when the record has no key
 */
public record CapturedRecord(String topic, byte[] key, byte[] value, long timestampMs) {

    public CapturedRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CapturedRecord that
                && timestampMs == that.timestampMs
                && topic.equals(that.topic)
                && Arrays.equals(key, that.key)
                && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(key), Arrays.hashCode(value), timestampMs);
    }

    @Override
    public String toString() {
        return describe(topic, key, value, timestampMs);
    }

    static String describe(String topic, byte[] key, byte[] value, long timestampMs) {
        String shown = new String(value, 0, Math.min(value.length, 120), StandardCharsets.UTF_8);
        return topic
                + "@"
                + timestampMs
                + " key="
                + (key == null ? "null" : new String(key, StandardCharsets.UTF_8))
                + " value("
                + value.length
                + ")="
                + shown;
    }
}
