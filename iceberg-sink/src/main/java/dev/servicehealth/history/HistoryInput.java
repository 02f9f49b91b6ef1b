package dev.servicehealth.history;

import java.util.List;
import java.util.function.Supplier;

/** What the history writer reads, each input with the mapper of its rows. */
public enum HistoryInput {
    RAW_RECORDS("raw", BronzeRows::rawRecords),
    DEAD_LETTERS("dead-letters", BronzeRows::deadLetters),
    REQUESTS("dedup-requests", SilverRows::requests),
    METRIC_SAMPLES("dedup-metrics", SilverRows::metricSamples),
    STATUS_EVENTS("dedup-status", SilverRows::statusEvents),
    FINAL_KPI_ROWS("kpi-history", GoldRows::finalKpiRows),
    TOO_LATE_COUNTS("kpi-too-late", GoldRows::tooLateCounts);

    private final String id;
    private final Supplier<RowMapper> mapper;

    HistoryInput(String id, Supplier<RowMapper> mapper) {
        this.id = id;
        this.mapper = mapper;
    }

    /** The input's part of its operators' names and uids. */
    public String id() {
        return id;
    }

    RowMapper mapper() {
        return mapper.get();
    }

    /** The tables this input's rows go to. */
    public List<HistoryTable> tables() {
        return mapper().tables();
    }
}
