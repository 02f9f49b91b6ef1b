package dev.servicehealth.model.catalog;

import java.util.List;

/**
 * Names of the Micrometer meters the jobs expose about their own health. Jobs register meters only
 * through these constants so that docs, dashboards and alert rules share one spelling. The
 * Micrometer name is dotted; {@link #prometheusName()} is how a Prometheus scrape shows it.
 */
public enum PipelineMetric {
    NORMALIZER_RECORDS_IN(
            "normalizer.records.in",
            "counter",
            List.of("source"),
            "raw records read, per source kind (gateway, auth, metrics, status)"),
    NORMALIZER_EVENTS_OUT(
            "normalizer.events.out",
            "counter",
            List.of("kind"),
            "canonical events written, per kind (request, metric_sample, status)"),
    NORMALIZER_DEAD_LETTERS(
            "normalizer.dead.letters",
            "counter",
            List.of("source", "reason"),
            "raw records sent to the dead-letter topic, per source kind and reason"),
    NORMALIZER_UNKNOWN_FIELDS(
            "normalizer.unknown.fields",
            "counter",
            List.of("source"),
            "fields present in input the parser does not know (schema drift to review)"),
    NORMALIZER_COERCED_FIELDS(
            "normalizer.coerced.fields",
            "counter",
            List.of("source"),
            "fields accepted after a safe type coercion, e.g. \"latency_ms\": \"12.5\""),
    NORMALIZER_UNMAPPED_ENDPOINTS(
            "normalizer.unmapped.endpoints",
            "counter",
            List.of("source"),
            "events whose endpoint is not in the service catalog (kept under the endpoint derived"
                    + " from their path, product and service 'unmapped')"),
    NORMALIZER_FOLDED_ENDPOINTS(
            "normalizer.folded.endpoints",
            "counter",
            List.of("source"),
            "events of a path outside the catalog kept as endpoint 'other' because their source"
                    + " had already made its limit of new endpoints in the event's minute"),
    NORMALIZER_UNKNOWN_TENANTS(
            "normalizer.unknown.tenants",
            "counter",
            List.of("source"),
            "events whose tenant is not in the tenant directory (tier UNKNOWN)"),
    NORMALIZER_REFERENCE_UPDATES(
            "normalizer.reference.updates",
            "counter",
            List.of("outcome"),
            "reference-data updates received from the reference topic, applied or rejected"),
    NORMALIZER_EVENT_LAG(
            "normalizer.event.lag",
            "summary",
            List.of("source"),
            "ingest time minus event time of normalized events (how late data arrives), as a"
                    + " histogram with buckets at 1 s, 5 s, 15 s, 30 s, 1 min, 2 min, 5 min,"
                    + " 10 min and 30 min"),
    NORMALIZER_RAW_PARTITION_LAG(
            "normalizer.raw.partition.lag",
            "gauge",
            List.of("topic", "partition"),
            "wall clock minus the watermark of each raw partition a subtask reads (its newest"
                    + " Kafka timestamp minus the out-of-orderness), in milliseconds: how far"
                    + " behind real time that partition's events are read; a dead partition's"
                    + " lag grows without bound"),
    NORMALIZER_RAW_PARTITION_BEHIND(
            "normalizer.raw.partition.behind.watermark",
            "gauge",
            List.of("topic", "partition"),
            "the subtask's watermark minus the raw partition's, in milliseconds: 0 while the"
                    + " partition holds the pipeline clock, positive once it went idle and the"
                    + " clock moved on without it (its next records may be too late)"),
    NORMALIZER_TOO_LATE_EVENTS(
            "normalizer.too.late.events",
            "counter",
            List.of("topic", "partition"),
            "events whose raw partition's clock had passed their window's end plus the 10-minute"
                    + " lateness when they were read, per raw partition: the aggregator counts them"
                    + " too late (once per event; every copy of a retried event is counted here)"),
    DEDUP_EVENTS_IN(
            "dedup.events.in",
            "counter",
            List.of("kind"),
            "normalized events read by the dedup job, per kind (request, metric_sample, status)"),
    DEDUP_EVENTS_OUT(
            "dedup.events.out",
            "counter",
            List.of("kind"),
            "first copies written to the deduplicated topics, per kind"),
    DEDUP_DUPLICATES_DROPPED(
            "dedup.duplicates.dropped",
            "counter",
            List.of("kind", "source"),
            "later copies of an event already seen within the retention, dropped; per kind and"
                    + " source (gateway, auth, metrics, status)"),
    DEDUP_CONFLICTS(
            "dedup.conflicts",
            "counter",
            List.of("kind", "source"),
            "dropped copies whose content differs from the first copy (ingest time aside): the"
                    + " first copy was kept; a non-zero rate means a producer reuses ids"),
    DEDUP_TOO_LATE_HELD(
            "dedup.too.late.held",
            "counter",
            List.of("kind"),
            "first copies that came too late for their window by their clock, held until the"
                    + " watermark passed that clock, so that an earlier copy of the same event"
                    + " read later (a backlog reorders raw partitions) is the one kept"),
    DEDUP_EARLIER_COPY_KEPT(
            "dedup.earlier.copy.kept",
            "counter",
            List.of("kind"),
            "held too-late copies replaced by a copy of the same event with an earlier clock,"
                    + " read after them"),
    DEDUP_UNKEYED_EVENTS(
            "dedup.unkeyed.events",
            "counter",
            List.of("kind"),
            "events that arrived without a Kafka key, identified by their bytes instead"),
    AGGREGATOR_FIRINGS(
            "aggregator.firings",
            "counter",
            List.of("grain", "firing"),
            "KPI rows emitted (each a new version of its row), per grain and firing: early (window"
                    + " open), on_time, late (late events changed a closed window), each only when"
                    + " the row changed since its last upsert; final (to history always, upserted"
                    + " only when changed)"),
    AGGREGATOR_LATE_EVENTS(
            "aggregator.late.events",
            "counter",
            List.of("grain"),
            "events that reached their window after the watermark passed its end, within the"
                    + " lateness bound: they updated the window and it was emitted again"),
    AGGREGATOR_TOO_LATE_EVENTS(
            "aggregator.too.late.events",
            "counter",
            List.of("grain"),
            "events that reached their window after its lateness bound: not in the live KPIs,"
                    + " written to the too-late topic for backfill"),
    AGGREGATOR_WATERMARK_LAG(
            "aggregator.watermark.lag",
            "summary",
            List.of("input"),
            "processing time minus the watermark at the pre-aggregator of each input (requests,"
                    + " metrics), per watermark: how far"
                    + " behind event time the windows close, as a histogram with buckets at 1 s,"
                    + " 5 s, 15 s, 30 s, 1 min, 2 min, 5 min, 10 min and 30 min"),
    AGGREGATOR_FRESHNESS(
            "aggregator.freshness",
            "summary",
            List.of("grain", "firing"),
            "emission time minus the newest event time in the emitted row (early and on-time"
                    + " firings): how stale a dashboard row is when it leaves the aggregator, as"
                    + " a histogram with the lag buckets"),
    DEDUPED_UNDECODABLE(
            "deduped.undecodable.events",
            "counter",
            List.of("job"),
            "deduplicated records that did not decode as request events, metric samples or status"
                    + " events (a bug upstream), by the job reading them; skipped and logged with"
                    + " topic, partition and offset"),
    CLOCK_MARKS_UNREADABLE(
            "pipeline.clock.marks.unreadable",
            "counter",
            List.of(),
            "clock marks whose header did not decode (a bug or a foreign writer), skipped and"
                    + " logged with topic, partition and offset; the writer's next mark says the"
                    + " same"),
    HISTORY_ROWS_OUT(
            "history.rows.out",
            "counter",
            List.of("table"),
            "rows handed to a history table's Iceberg writer; visible once the checkpoint that"
                    + " covers them commits"),
    HISTORY_UNREADABLE_RECORDS(
            "history.unreadable.records",
            "counter",
            List.of("topic"),
            "records the history writer could not turn into a row (logged with their"
                    + " coordinates; bronze keeps every raw record whatever its bytes)"),
    HISTORY_UNKNOWN_COLUMNS(
            "history.unknown.columns",
            "counter",
            List.of("table"),
            "fields of a KPI row that the gold table has no column for (a writer newer than the"
                    + " table: evolve the table)"),
    HISTORY_READ_LAG(
            "history.read.lag",
            "gauge",
            List.of("topic", "partition"),
            "age of the newest record the history writer has read from a partition, by its Kafka"
                    + " timestamp, in milliseconds: how far behind the topic it writes"),
    HISTORY_COMMIT_DURATION(
            "history.commit.duration",
            "gauge",
            List.of("table"),
            "duration of the last Iceberg commit of a table, in milliseconds (Iceberg's"
                    + " lastCommitDurationMs)"),
    HISTORY_COMMITTED_DATA_FILES(
            "history.committed.data.files",
            "counter",
            List.of("table"),
            "data files committed to a table (Iceberg's committedDataFilesCount); per commit,"
                    + " with flink.checkpoint counts, it says whether files stay large"),
    HISTORY_COMMITTED_BYTES(
            "history.committed.bytes",
            "counter",
            List.of("table"),
            "bytes of the data files committed to a table (committedDataFilesByteCount)"),
    HISTORY_COMMITTED_RECORDS(
            "history.committed.records",
            "counter",
            List.of("table"),
            "rows committed to a table (committedDataFilesRecordCount)"),
    HISTORY_SINCE_LAST_COMMIT(
            "history.since.last.commit",
            "gauge",
            List.of("table"),
            "seconds since a table's last successful commit"
                    + " (elapsedSecondsSinceLastSuccessfulCommit): its freshness"),
    FLINK_CHECKPOINT_DURATION(
            "flink.checkpoint.duration",
            "gauge",
            List.of("job"),
            "duration of the job's last completed checkpoint, in milliseconds (from Flink's"
                    + " lastCheckpointDuration, on the job manager)"),
    BACKFILL_EVENTS(
            "backfill.events",
            "counter",
            List.of("kind"),
            "first copies of events in a backfill's range that it aggregated"),
    BACKFILL_EVENTS_BEYOND_LATENESS(
            "backfill.events.beyond.lateness",
            "counter",
            List.of("kind"),
            "of those, events whose clock had passed their window's lateness bound: the stream"
                    + " counted them too late, the backfill counts them in"),
    BACKFILL_ROWS(
            "backfill.rows",
            "counter",
            List.of("table", "change"),
            "rows of a gold table a backfill compared, by what changed: added, changed, removed,"
                    + " restamped (the generation alone), unchanged"),
    BACKFILL_PHASES(
            "backfill.phases",
            "counter",
            List.of("outcome"),
            "backfill runs and their phases ended, by outcome: applied, unchanged, dry_run,"
                    + " checked, staged, computed, diffed, verified, unverified, aborted, refused,"
                    + " locked, conflict, failed (every run's record is in the table"
                    + " backfill.runs)"),
    BACKFILL_DURATION(
            "backfill.duration",
            "summary",
            List.of("phase"),
            "how long each phase of a backfill took, in milliseconds: compute, diff, apply,"
                    + " usage, publish"),
    PAGER_EVENTS(
            "pager.events",
            "counter",
            List.of(),
            "deduplicated request events the pager counted into the scopes of their objectives"),
    PAGER_ALERTS(
            "pager.alerts",
            "counter",
            List.of("severity", "state"),
            "burn-rate alert transitions of objective and scope: firing, burning (a ten-second"
                    + " report while firing), resolved, data_missing, data_back, expired (a scope"
                    + " silent for the longest window)"),
    PAGER_PAGES(
            "pager.pages",
            "counter",
            List.of("severity", "state"),
            "pages the pager sent (one per broken scope, all its objectives together): firing (also"
                    + " when what a page says changed) and resolved"),
    PAGER_SUPPRESSED(
            "pager.suppressed",
            "counter",
            List.of(),
            "burns of objective and scope that a page of a wider or more concentrated scope spoke"
                    + " for instead of paging themselves (a region's zones, the fleet a region"
                    + " explains)"),
    PAGER_GUARDED_WINDOWS(
            "pager.guarded.windows",
            "counter",
            List.of("pair"),
            "evaluations in which a pair's error ratios were over its threshold but its long window"
                    + " held fewer events than the pair's minimum: no page"),
    PAGER_REPEATS_HELD(
            "pager.repeats.held",
            "counter",
            List.of("severity"),
            "evaluations in which a pair tripped only on buckets that ended before the severity's"
                    + " last resolve (late events of an incident already paged): no second page"),
    PAGER_LATE_EVENTS(
            "pager.late.events",
            "counter",
            List.of(),
            "events counted into a bucket older than their scope's newest: they burn in their own"
                    + " bucket"),
    PAGER_EVENTS_BEYOND_WINDOW(
            "pager.events.beyond.window",
            "counter",
            List.of(),
            "events older than the longest burn-rate window of their scope: they cannot change any"
                    + " alert and are not kept"),
    PAGER_SIGNAL_TO_PAGE(
            "pager.signal.to.page",
            "summary",
            List.of("severity"),
            "wall-clock time Alertmanager accepted a page minus the event time its burn began (the"
                    + " first bad bucket): signal-to-page latency, as a histogram with the lag"
                    + " buckets; live this is detection plus delivery, after a backlog it includes"
                    + " the backlog"),
    PAGER_NOTIFICATIONS(
            "pager.notifications",
            "counter",
            List.of("state", "outcome"),
            "alerts the notifier posted to Alertmanager, firing (first and re-sent) or resolved:"
                    + " accepted, refused (an answer other than 200) or unreachable; refused and"
                    + " unreachable ones are posted again"),
    PAGER_OPEN_PAGES(
            "pager.open.pages",
            "gauge",
            List.of(),
            "pages the notifier holds firing and re-sends to Alertmanager"),
    PAGER_UNREADABLE_PAGES(
            "pager.unreadable.pages",
            "counter",
            List.of(),
            "records of the pages topic the notifier could not read (logged with their position)"
                    + " and skipped"),
    FLINK_CHECKPOINTS_COMPLETED(
            "flink.checkpoints.completed",
            "gauge",
            List.of("job"),
            "checkpoints the job has completed (numberOfCompletedCheckpoints): each one"
                    + " commits every iceberg-sink table that received rows, so for a busy table"
                    + " history.committed.data.files over it is the files per commit"),
    FLINK_CHECKPOINT_SIZE(
            "flink.checkpoint.size",
            "gauge",
            List.of("job"),
            "bytes the last checkpoint uploaded (incremental: only new SST files), from Flink's"
                    + " lastCheckpointSize"),
    FLINK_CHECKPOINT_FULL_SIZE(
            "flink.checkpoint.full.size",
            "gauge",
            List.of("job"),
            "bytes of the whole last checkpoint, shared files included (lastCheckpointFullSize)"),
    FLINK_STATE_LIVE_DATA_SIZE(
            "flink.state.live.data.size",
            "gauge",
            List.of("job", "operator", "subtask", "state"),
            "RocksDB's estimate of the live state bytes of one state of one operator subtask"
                    + " (estimate-live-data-size)"),
    FLINK_STATE_SST_FILES_SIZE(
            "flink.state.sst.files.size",
            "gauge",
            List.of("job", "operator", "subtask", "state"),
            "bytes of all RocksDB SST files of one state of one operator subtask, expired entries not yet"
                    + " compacted away included (total-sst-files-size)"),
    FLINK_STATE_MEMTABLES_SIZE(
            "flink.state.memtables.size",
            "gauge",
            List.of("job", "operator", "subtask", "state"),
            "bytes in RocksDB's memtables of one state of one operator subtask, not yet flushed to SST files"
                    + " (cur-size-all-mem-tables)"),
    FLINK_STATE_KEYS(
            "flink.state.keys",
            "gauge",
            List.of("job", "operator", "subtask", "state"),
            "RocksDB's estimate of the keys in one state of one operator subtask (estimate-num-keys)");

    private static final double[] LAG_BUCKETS_MS = {
        1_000, 5_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000
    };

    /**
     * Upper bounds of the lag histograms (event lag, watermark lag), around the lateness bound and
     * the freshness SLO: fixed buckets, not client-side percentiles, so Prometheus can add them up
     * across task managers.
     */
    public static double[] lagBucketsMs() {
        return LAG_BUCKETS_MS.clone();
    }

    private final String meterName;
    private final String type;
    private final List<String> tags;
    private final String description;

    PipelineMetric(String meterName, String type, List<String> tags, String description) {
        this.meterName = meterName;
        this.type = type;
        this.tags = tags;
        this.description = description;
    }

    public String meterName() {
        return meterName;
    }

    /** The name in a Prometheus scrape: dots become underscores, counters end in _total. */
    public String prometheusName() {
        String base = meterName.replace('.', '_');
        switch (type) {
            case "counter":
                return base + "_total";
            case "summary":
                return base + "_milliseconds";
            default:
                return base;
        }
    }

    public String type() {
        return type;
    }

    public List<String> tags() {
        return tags;
    }

    public String description() {
        return description;
    }
}
