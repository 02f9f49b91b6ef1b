package dev.servicehealth.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An in-memory sink that keeps every record sent to it. */
final class CollectingSink implements RecordSink {
    final List<CapturedRecord> records = new ArrayList<>();
    private final Map<String, Long> counts = new TreeMap<>();

    @Override
    public void send(CapturedRecord record) {
        records.add(record);
        counts.merge(record.topic(), 1L, Long::sum);
    }

    @Override
    public Map<String, Long> flush() {
        return Map.copyOf(counts);
    }

    @Override
    public void close() {}
}
