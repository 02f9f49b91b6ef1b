package dev.servicehealth.model;

import java.util.List;

/** Default topic names. Jobs take the actual names from configuration; these are the defaults. */
public final class Topics {
    public static final String RAW_GATEWAY = "raw.gateway";
    public static final String RAW_AUTH = "raw.auth";
    public static final String RAW_METRICS = "raw.metrics";
    public static final String RAW_STATUS = "raw.status";

    public static final String NORMALIZED_REQUESTS = "normalized.requests.v1";
    public static final String NORMALIZED_METRICS = "normalized.metrics.v1";
    public static final String NORMALIZED_STATUS = "normalized.status.v1";

    /** The normalized topics after the dedup job: each event once, keyed as before. */
    public static final String DEDUP_REQUESTS = "dedup.requests.v1";

    public static final String DEDUP_METRICS = "dedup.metrics.v1";
    public static final String DEDUP_STATUS = "dedup.status.v1";

    public static final String DEAD_LETTER_INGEST = "deadletter.ingest.v1";

    /**
     * What the normalizer saw change in its inputs (new fields, renames, type changes, endpoints
     * outside the catalog), counted per source and producer and reported about once a minute.
     */
    public static final String SCHEMA_DRIFT = "drift.schema.v1";

    /** KPI upserts of the service grain, keyed by the upsert key (Pinot needs it). */
    public static final String KPI_SERVICE = "kpi.service.v1";

    /** KPI upserts of the drill-down grain (tenant × endpoint × region). */
    public static final String KPI_DRILLDOWN = "kpi.drilldown.v1";

    /** Saturation upserts (region × service) from the metric samples. */
    public static final String KPI_SATURATION = "kpi.saturation.v1";

    /** Each KPI row's final value once its lateness bound passed, for Iceberg / Snowflake. */
    public static final String KPI_HISTORY = "kpi.history.v1";

    /** Events that arrived after their window's lateness bound, counted per row, for backfills. */
    public static final String KPI_TOO_LATE = "kpi.too-late.v1";

    /** The SLO pager's pages, keyed by page: what the notifier sends to Alertmanager. */
    public static final String PAGES = "alerts.pages.v1";

    /** Compacted: the latest reference-data override per entry. */
    public static final String REFERENCE_UPDATES = "reference.updates.v1";

    public static final List<String> RAW = List.of(RAW_GATEWAY, RAW_AUTH, RAW_METRICS, RAW_STATUS);

    private Topics() {}
}
