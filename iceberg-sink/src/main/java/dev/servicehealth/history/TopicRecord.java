package dev.servicehealth.history;

import java.io.Serializable;

/**
 * A Kafka record as the history writer reads it: its coordinates, timestamp and bytes, and when it
 * was read. Nothing is parsed on the way in, so a record the writer cannot read is counted where
 * its table is known, with its coordinates.
 */
public record TopicRecord(
        String topic,
        int partition,
        long offset,
        long timestampMs,
        byte[] key,
        byte[] value,
        long readAtMs)
        implements Serializable {

    /** Where it came from, for log lines: {@code topic-partition@offset}. */
    public String coordinates() {
        return topic + "-" + partition + "@" + offset;
    }
}
