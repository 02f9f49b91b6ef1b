package dev.servicehealth.model;

import java.util.Objects;

/**
 * A raw record the normalizer could not turn into canonical events, with everything needed to find,
 * understand and replay it: the original bytes and the source coordinates.
 */
public record DeadLetter(
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        long sourceTimestampMs,
        DeadLetterReason reason,
        String detail,
        byte[] originalKey,
        byte[] originalValue,
        long deadLetteredAtMs) {

    public DeadLetter {
        Objects.requireNonNull(sourceTopic, "sourceTopic");
        Objects.requireNonNull(reason, "reason");
        detail = detail == null ? "" : detail;
        originalKey = originalKey == null ? new byte[0] : originalKey;
        originalValue = originalValue == null ? new byte[0] : originalValue;
    }

    /** Kafka key: the source coordinates, unique per raw record and reason. */
    public String key() {
        return sourceTopic + "-" + sourcePartition + "@" + sourceOffset + "/" + reason.code();
    }
}
