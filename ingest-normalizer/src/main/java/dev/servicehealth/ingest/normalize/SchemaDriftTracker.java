package dev.servicehealth.ingest.normalize;

import dev.servicehealth.ingest.parse.DriftKind;
import dev.servicehealth.ingest.parse.ParsedLine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts the drift of the lines one normalizer subtask reads, per source, producer, kind and name,
 * and hands the counts over as a report once per interval, so that the report costs a few records a
 * minute however many lines drift. The counts not yet reported are in the subtask's checkpoint
 * ({@link #pending}), so each drifted line is counted once across failures.
 */
final class SchemaDriftTracker {
    /**
     * Distinct changes held between two reports; further ones are counted together per source and
     * kind, producer and name {@link #MORE}, so that neither new names nor new producers grow it.
     */
    static final int MAX_CHANGES = 10_000;

    static final String MORE = "(more names)";
    private static final int MAX_PRODUCER_LENGTH = 64;

    private record Change(String source, String producer, String kind, String name) {}

    private final long intervalMs;
    private final Map<Change, long[]> counts = new HashMap<>();
    private long nextReportMs = Long.MIN_VALUE;

    SchemaDriftTracker(long intervalMs) {
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("the report interval must be positive");
        }
        this.intervalMs = intervalMs;
    }

    /** Counts every drift of {@code line}, sent by {@code producer}, seen at {@code atMs}. */
    void observe(SourceKind source, String producer, ParsedLine line, long atMs) {
        for (int i = 0; i < line.drifts(); i++) {
            observe(source, producer, line.driftKind(i), line.driftName(i), atMs);
        }
    }

    void observe(SourceKind source, String producer, DriftKind kind, String name, long atMs) {
        add(source.tag(), producerOf(producer), kind.tag(), name, 1, atMs, atMs);
    }

    /** The report, if one is due at {@code nowMs} (the counts since the last one), else nothing. */
    List<SchemaDrift> reportIfDue(long nowMs) {
        if (nextReportMs == Long.MIN_VALUE) {
            nextReportMs = nowMs + intervalMs;
        }
        if (nowMs < nextReportMs || counts.isEmpty()) {
            return List.of();
        }
        nextReportMs = nowMs + intervalMs;
        List<SchemaDrift> report = pending(nowMs);
        counts.clear();
        return report;
    }

    /** The counts not reported yet, as report lines stamped {@code nowMs}. */
    List<SchemaDrift> pending(long nowMs) {
        List<SchemaDrift> lines = new ArrayList<>(counts.size());
        counts.forEach(
                (change, c) ->
                        lines.add(
                                new SchemaDrift(
                                        change.source(),
                                        change.producer(),
                                        change.kind(),
                                        change.name(),
                                        c[0],
                                        c[1],
                                        c[2],
                                        nowMs)));
        return lines;
    }

    /** Takes back counts a checkpoint held. */
    void restore(SchemaDrift line) {
        add(
                line.source(),
                line.producer(),
                line.kind(),
                line.name(),
                line.count(),
                line.firstSeenMs(),
                line.lastSeenMs());
    }

    private void add(
            String source,
            String producer,
            String kind,
            String name,
            long count,
            long firstMs,
            long lastMs) {
        Change change = new Change(source, producer, kind, name);
        long[] c = counts.get(change);
        if (c == null) {
            if (counts.size() >= MAX_CHANGES) {
                change = new Change(source, MORE, kind, MORE);
                c = counts.get(change);
            }
            if (c == null) {
                counts.put(change, new long[] {count, firstMs, lastMs});
                return;
            }
        }
        c[0] += count;
        c[1] = Math.min(c[1], firstMs);
        c[2] = Math.max(c[2], lastMs);
    }

    private static String producerOf(String producer) {
        if (producer == null || producer.isBlank()) {
            return "unknown";
        }
        return producer.length() > MAX_PRODUCER_LENGTH
                ? producer.substring(0, MAX_PRODUCER_LENGTH)
                : producer;
    }
}
