package dev.servicehealth.backfill;

import dev.servicehealth.backfill.GoldDiff.Change;
import dev.servicehealth.backfill.GoldDiff.TableDiff;
import dev.servicehealth.history.HistoryCatalog;
import dev.servicehealth.history.HistoryTable;
import dev.servicehealth.history.TenantUsageJob;
import dev.servicehealth.model.catalog.Grain;
import dev.servicehealth.model.catalog.PipelineMetric;
import dev.servicehealth.runtime.JobOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.ValidationException;

/**
 * One backfill, from the safety checks to the record: check the range, take the lock, compute the
 * range from bronze into staged tables (the {@link BackfillJob}), diff them against gold, and
 * unless it is a dry run or nothing changes, replace the range in gold, recompute the daily usage
 * of its days, send the rows to Pinot's upsert topics and verify gold holds them. Every run,
 * whatever its end, is recorded in {@code backfill.runs} and counted in {@code backfill.runs}.
 */
public final class Backfill {
    /** How many changed rows per table the report shows; it counts all of them. */
    static final int SHOWN_CHANGES = 50;

    /**
     * The ends that are recorded: a run's, and the diff an approver is shown. The others are a
     * phase of a run that ends later (staged, computed) or do not run one (checked, verified).
     */
    private static final Set<Outcome> RECORDED =
            EnumSet.of(
                    Outcome.APPLIED,
                    Outcome.UNCHANGED,
                    Outcome.DRY_RUN,
                    Outcome.DIFFED,
                    Outcome.ABORTED,
                    Outcome.REFUSED,
                    Outcome.LOCKED,
                    Outcome.CONFLICT,
                    Outcome.FAILED);

    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss_SSS").withZone(ZoneOffset.UTC);

    private final BackfillConfig config;
    private final boolean dryRun;
    private final PrintStream out;
    private final Environments environments;

    /** How a backfill gets a Flink environment for its batch jobs; in-process by default. */
    @FunctionalInterface
    public interface Environments {
        StreamExecutionEnvironment create();
    }

    /**
     * How a run, or a phase of one, ended, and the exit code {@code ./backfill-range} says it with.
     */
    public enum Outcome {
        APPLIED(0),
        UNCHANGED(0),
        DRY_RUN(0),
        /** The checks passed and the lock was free (and is again). */
        CHECKED(0),
        /** Staged and locked, for a job on a cluster to compute into. */
        STAGED(0),
        /** The staged rows computed, in this process. */
        COMPUTED(0),
        /** Diffed; the staged rows and the lock kept for an approval. */
        DIFFED(0),
        /** The record says the backfill applied, and gold holds its generation in the range. */
        VERIFIED(0),
        /** It does not (a verification, not a run: not recorded). */
        UNVERIFIED(1),
        ABORTED(0),
        FAILED(1),
        REFUSED(3),
        LOCKED(4),
        CONFLICT(5);

        private final int exitCode;

        Outcome(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    /** What a run did: its id, end, the diff (null when it ended before one) and why. */
    public record Result(String backfillId, Outcome outcome, DiffReport diff, String detail) {}

    public Backfill(
            BackfillConfig config, boolean dryRun, PrintStream out, Environments environments) {
        this.config = config;
        this.dryRun = dryRun;
        this.out = out;
        this.environments = environments;
    }

    /**
     * The whole backfill in this process: stage, compute, then diff and apply (or not); with {@code
     * approvedDigest}, applies only the diff that was approved.
     */
    public Result run(String approvedDigest) {
        return phase(
                (id, catalog, snapshots) -> {
                    Result staged = stage(id, catalog);
                    if (staged.outcome() != Outcome.STAGED) {
                        return staged;
                    }
                    out.println("computing the range from bronze …");
                    try {
                        timed("compute", () -> compute(new StagedTables(id), catalog));
                    } catch (RuntimeException e) {
                        abandon(id, catalog);
                        throw e;
                    }
                    return finish(id, catalog, snapshots, approvedDigest, false);
                },
                newId());
    }

    /** The safety checks and the lock, taken and released: whether a backfill could start now. */
    public Result check() {
        return phase(
                (id, catalog, snapshots) -> {
                    Result staged = stage(id, catalog);
                    if (staged.outcome() == Outcome.STAGED) {
                        abandon(id, catalog);
                        return new Result(id, Outcome.CHECKED, null, null);
                    }
                    return staged;
                },
                newId());
    }

    /**
     * The first half on a cluster: checks, lock and staged tables, for {@link BackfillJob} to
     * compute into with {@code --backfill-id}; the lock stays taken until {@link #finish} or {@link
     * #abort}.
     */
    public Result stageOnly() {
        return phase((id, catalog, snapshots) -> stage(id, catalog), newId());
    }

    /**
     * The second half: diff the staged rows of {@code id} against gold and, unless this is a dry
     * run, apply them. With {@code approvedDigest}, applies only if the diff is the one approved.
     */
    public Result finish(String id, String approvedDigest) {
        return staged(
                id, (catalog, snapshots) -> finish(id, catalog, snapshots, approvedDigest, false));
    }

    /** Computes the staged rows of {@code id} in this process: a cluster's job, locally. */
    public Result compute(String id) {
        return staged(
                id,
                (catalog, snapshots) -> {
                    out.println("computing the range from bronze …");
                    timed("compute", () -> compute(new StagedTables(id), catalog));
                    return new Result(id, Outcome.COMPUTED, null, null);
                });
    }

    /**
     * Waits until the job on a cluster has computed the staged rows of {@code id} to the end, at
     * most {@code timeout}: the Flink Kubernetes operator's sensor says when the deployment is up,
     * not when its batch job is done.
     */
    public Result awaitComputed(String id, Duration timeout) {
        return staged(
                id,
                (catalog, snapshots) -> {
                    StagedTables staged = new StagedTables(id);
                    long deadline = System.nanoTime() + timeout.toNanos();
                    while (!staged.computed(catalog)) {
                        if (System.nanoTime() > deadline) {
                            return new Result(
                                    id,
                                    Outcome.FAILED,
                                    null,
                                    "not computed within " + timeout + ": see the job's log");
                        }
                        out.println("  waiting for the job to finish computing " + id + " …");
                        try {
                            Thread.sleep(30_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return new Result(id, Outcome.FAILED, null, "interrupted");
                        }
                    }
                    return new Result(id, Outcome.COMPUTED, null, null);
                });
    }

    /** The diff of the staged rows of {@code id}, which stay staged for an approval. */
    public Result diff(String id) {
        return staged(id, (catalog, snapshots) -> finish(id, catalog, snapshots, null, true));
    }

    /**
     * Whether the backfill {@code id} is applied as recorded: its record says so, and every row of
     * the range in its gold tables carries its generation or a newer one.
     */
    public Result verify(String id) {
        return phase(
                (ignored, catalog, snapshots) -> {
                    boolean done =
                            BackfillRecords.all(catalog).stream()
                                    .filter(r -> id.equals(r.getField("backfill_id")))
                                    .anyMatch(
                                            r ->
                                                    "applied".equals(r.getField("outcome"))
                                                            || "unchanged"
                                                                    .equals(r.getField("outcome")));
                    if (!done) {
                        return new Result(
                                id, Outcome.UNVERIFIED, null, "no record of " + id + " applied");
                    }
                    for (HistoryTable table : config.goldTables()) {
                        if (table == HistoryTable.KPI_TOO_LATE) {
                            continue;
                        }
                        Map<Integer, Long> generations =
                                GoldDiff.generationsInRange(
                                        catalog.loadTable(table.identifier()), config.range());
                        long rows = generations.values().stream().mapToLong(n -> n).sum();
                        long older =
                                generations.entrySet().stream()
                                        .filter(g -> g.getKey() < config.generation())
                                        .mapToLong(Map.Entry::getValue)
                                        .sum();
                        out.printf(
                                "%s: %d rows in the range, %d of an older generation%n",
                                table.identifier(), rows, older);
                        if (older > 0) {
                            return new Result(
                                    id,
                                    Outcome.UNVERIFIED,
                                    null,
                                    table.identifier()
                                            + " holds rows older than generation "
                                            + config.generation());
                        }
                    }
                    return new Result(id, Outcome.VERIFIED, null, null);
                },
                id);
    }

    /**
     * Gives a staged backfill up: whatever it staged dropped (the files a commit of it gave gold
     * kept), its lock released if it holds it. Idempotent: an abort of what is gone already is one.
     */
    public Result abort(String id, String why) {
        return phase(
                (ignored, catalog, snapshots) -> {
                    abandon(id, catalog);
                    return new Result(id, Outcome.ABORTED, null, why);
                },
                id);
    }

    /** A phase of the staged backfill {@code id}, which must hold the lock. */
    private Result staged(String id, StagedPhase phase) {
        return phase(
                (ignored, catalog, snapshots) ->
                        BackfillLock.heldBy(catalog, id)
                                ? phase.run(catalog, snapshots)
                                : new Result(
                                        id,
                                        Outcome.FAILED,
                                        null,
                                        id + " does not hold the lock: stage it first"),
                id);
    }

    /** What a phase of a staged backfill does with the catalog open. */
    private interface StagedPhase {
        Result run(Catalog catalog, Map<String, String> snapshots);
    }

    private String newId() {
        String id = config.get(BackfillConfig.BACKFILL_ID);
        return id != null ? id : "bf_" + ID_TIME.format(Instant.now());
    }

    /** What a phase does with the catalog open. */
    private interface Phase {
        Result run(String id, Catalog catalog, Map<String, String> snapshots);
    }

    /** Runs a phase, then records, counts and reports how it ended (staged halves excepted). */
    private Result phase(Phase phase, String id) {
        Instant started = Instant.now();
        HistoryCatalog history = config.catalog();
        Catalog catalog = history.open();
        Map<String, String> snapshots = new LinkedHashMap<>();
        Result result;
        try {
            result = phase.run(id, catalog, snapshots);
        } catch (RuntimeException e) {
            result = new Result(id, Outcome.FAILED, null, e.toString());
            out.println("backfill " + id + " failed: " + e);
        }
        long durationMs = Duration.between(started, Instant.now()).toMillis();
        if (RECORDED.contains(result.outcome())) {
            record(catalog, result, started, durationMs, snapshots);
        }
        Counter.builder(PipelineMetric.BACKFILL_PHASES.meterName())
                .description(PipelineMetric.BACKFILL_PHASES.description())
                .tag("outcome", result.outcome().name().toLowerCase(Locale.ROOT))
                .register(Metrics.globalRegistry)
                .increment();
        out.printf(
                Locale.ROOT,
                "backfill %s of %s: %s in %.1f s%s%n",
                result.backfillId(),
                config.range(),
                result.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                durationMs / 1000.0,
                result.detail() == null ? "" : " (" + result.detail() + ")");
        close(catalog);
        return result;
    }

    private Result stage(String id, Catalog catalog) {
        BackfillRange range = config.range();
        List<String> refusals = range.refusals(config.now(), config.limits());
        if (!refusals.isEmpty()) {
            refusals.forEach(r -> out.println("refused: " + r));
            return new Result(id, Outcome.REFUSED, null, String.join("; ", refusals));
        }
        Map<String, String> holder = new LinkedHashMap<>();
        holder.put("backfill.range", range.toString());
        holder.put("backfill.requested-by", config.get(BackfillConfig.REQUESTED_BY));
        holder.put("backfill.started-at", Instant.now().toString());
        try {
            BackfillLock.acquire(catalog, id, holder);
        } catch (BackfillLock.HeldException e) {
            out.println("refused: " + e.getMessage());
            return new Result(id, Outcome.LOCKED, null, e.getMessage());
        }
        try {
            // the job writes rows by position: a table this version does not write stops it here
            HistoryCatalog.checkTables(catalog);
            new StagedTables(id).create(catalog, config.goldTables());
        } catch (RuntimeException e) {
            abandon(id, catalog);
            throw e;
        }
        out.printf(
                "backfill %s: staged %s (generation %d, %s)%n",
                id,
                range,
                config.generation(),
                config.grains().stream()
                        .map(g -> g.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", ")));
        return new Result(id, Outcome.STAGED, null, null);
    }

    /**
     * Drops what a backfill staged and releases its lock. The staged files of a gold table that a
     * snapshot of this backfill already committed to (an apply that died half way) are kept: they
     * are gold's now.
     */
    private void abandon(String id, Catalog catalog) {
        try {
            new StagedTables(id).drop(catalog, config.goldTables(), committedBy(id, catalog));
        } catch (RuntimeException e) {
            // the run's outcome stands; what is left is dropped by --abort
            out.println("could not drop the staged tables of " + id + ": " + e);
        } finally {
            BackfillLock.release(catalog, id);
        }
    }

    /** The gold tables a snapshot of backfill {@code id} was committed to. */
    private Set<HistoryTable> committedBy(String id, Catalog catalog) {
        Set<HistoryTable> committed = EnumSet.noneOf(HistoryTable.class);
        for (HistoryTable gold : config.goldTables()) {
            for (Snapshot snapshot : catalog.loadTable(gold.identifier()).snapshots()) {
                if (id.equals(snapshot.summary().get("backfill.id"))) {
                    committed.add(gold);
                }
            }
        }
        return committed;
    }

    /**
     * @param keepStaged only diff, as {@code --diff}: the staged rows and the lock stay for {@code
     *     --apply} or {@code --abort}
     */
    private Result finish(
            String id,
            Catalog catalog,
            Map<String, String> snapshots,
            String approvedDigest,
            boolean keepStaged) {
        BackfillRange range = config.range();
        StagedTables staged = new StagedTables(id);
        List<HistoryTable> golds = config.goldTables();
        boolean release = true;
        try {
            if (!staged.computed(catalog)) {
                return new Result(
                        id,
                        Outcome.FAILED,
                        null,
                        "the staged rows of "
                                + id
                                + " are not computed: its job has not finished, or failed");
            }
            Map<HistoryTable, Long> read = new LinkedHashMap<>();
            List<TableDiff> diffs = new ArrayList<>();
            timed(
                    "diff",
                    () -> {
                        for (HistoryTable gold : golds) {
                            Table table = catalog.loadTable(gold.identifier());
                            Snapshot snapshot = table.currentSnapshot();
                            Long snapshotId = snapshot == null ? null : snapshot.snapshotId();
                            read.put(gold, snapshotId);
                            diffs.add(
                                    GoldDiff.of(
                                            gold,
                                            table,
                                            snapshotId,
                                            catalog.loadTable(staged.rowsOf(gold)),
                                            range));
                        }
                    });
            DiffReport diff = new DiffReport(List.copyOf(diffs), SHOWN_CHANGES);
            count(diffs);
            out.print(diff.text());
            out.println("diff digest: " + diff.digest());
            String older = olderGeneration(diffs);
            if (older != null) {
                return new Result(id, Outcome.REFUSED, diff, older);
            }
            if (keepStaged) {
                release = false;
                return new Result(id, Outcome.DIFFED, diff, null);
            }
            if (dryRun) {
                return new Result(id, Outcome.DRY_RUN, diff, null);
            }
            if (approvedDigest != null && !approvedDigest.equals(diff.digest())) {
                String why =
                        "the diff is not the one approved (digest "
                                + diff.digest()
                                + ", approved "
                                + approvedDigest
                                + "): gold or bronze changed since; review this diff instead";
                out.println("refused: " + why);
                return new Result(id, Outcome.REFUSED, diff, why);
            }
            if (diff.empty()) {
                String interrupted = interruptedApply(catalog);
                if (interrupted == null) {
                    return new Result(id, Outcome.UNCHANGED, diff, null);
                }
                out.println(
                        "gold already holds these rows: finishing what "
                                + interrupted
                                + " left undone (daily usage, upserts)");
            }

            Map<String, String> summary =
                    GoldOverwrite.summary(
                            id, config.generation(), config.get(BackfillConfig.REASON), range);
            try {
                timed(
                        "apply",
                        () -> {
                            for (TableDiff table : diffs) {
                                if (!table.changesAnything()) {
                                    continue;
                                }
                                GoldOverwrite.Outcome done =
                                        GoldOverwrite.apply(
                                                catalog.loadTable(table.table().identifier()),
                                                read.get(table.table()),
                                                catalog.loadTable(staged.rowsOf(table.table())),
                                                range,
                                                id,
                                                summary);
                                snapshots.put(
                                        table.table().identifier().toString(),
                                        Long.toString(done.snapshotId()));
                                out.printf(
                                        "%s: replaced (%d files removed, %d rewritten, %d added)%n",
                                        table.table().identifier(),
                                        done.filesRemoved(),
                                        done.filesRewritten(),
                                        done.filesAdded());
                            }
                        });
            } catch (ValidationException e) {
                return new Result(
                        id,
                        Outcome.CONFLICT,
                        diff,
                        "gold changed since the diff read it ("
                                + e.getMessage()
                                + "); the tables listed as replaced are, the others are not:"
                                + " run the same backfill again");
            }
            timed("usage", () -> dailyUsage(config.catalog(), range));
            Set<String> topics = new java.util.HashSet<>();
            for (TableDiff table : diffs) {
                for (Grain grain : config.grains()) {
                    if (HistoryTable.finalRowsOf(grain) == table.table()
                            && (table.changesAnything() || diff.empty())) {
                        topics.add(config.upsertTopics().get(grain));
                    }
                }
            }
            long sent =
                    timed(
                            "publish",
                            () ->
                                    UpsertPublisher.publish(
                                            catalog.loadTable(staged.upserts()),
                                            config.bootstrapServers(),
                                            topics));
            out.printf("sent %d rows to the upsert topics%n", sent);
            verify(catalog, staged, diffs, range);
            return new Result(id, Outcome.APPLIED, diff, null);
        } finally {
            if (release) {
                abandon(id, catalog);
            }
        }
    }

    /**
     * Runs the job and waits for its result, saying every 10 s that it still runs: only the result
     * is awaited, since a job's own cluster in this process closes as soon as the job ends.
     */
    private void compute(StagedTables staged, Catalog catalog) {
        StreamExecutionEnvironment env = environments.create();
        BackfillJob.defineWorkflow(env, config, staged);
        JobClient job = null;
        try {
            job = env.executeAsync("backfill-" + staged.backfillId());
            CompletableFuture<JobExecutionResult> result = job.getJobExecutionResult();
            long started = System.nanoTime();
            while (true) {
                try {
                    result.get(10, TimeUnit.SECONDS);
                    break;
                } catch (TimeoutException stillRunning) {
                    out.printf(
                            "  computing: %d s%n",
                            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.cancel();
            throw new IllegalStateException("interrupted while computing; the job is cancelled", e);
        } catch (Exception e) {
            throw new IllegalStateException("the backfill job failed: " + rootCause(e), e);
        }
        staged.markComputed(catalog);
    }

    private void dailyUsage(HistoryCatalog history, BackfillRange range) {
        for (LocalDate day : range.days()) {
            StreamExecutionEnvironment env = environments.create();
            int parallelism = config.get(JobOptions.PARALLELISM);
            if (parallelism > 0) {
                env.setParallelism(parallelism);
            }
            try {
                TenantUsageJob.defineWorkflow(env, history, day);
                env.execute("tenant-usage-" + day);
            } catch (Exception e) {
                throw new IllegalStateException(
                        "recomputing the daily usage of " + day + " failed: " + rootCause(e), e);
            }
            out.println("daily usage of " + day + " recomputed");
        }
    }

    /**
     * Every replaced table holds exactly the staged rows in the range, the KPI tables' each of the
     * backfill's generation; a difference means the commit did not do what the diff said, and is a
     * failure.
     */
    private void verify(
            Catalog catalog, StagedTables staged, List<TableDiff> diffs, BackfillRange range) {
        for (TableDiff diff : diffs) {
            // the stream keeps counting too-late events into closed windows: not verifiable
            if (!diff.changesAnything() || diff.table() == HistoryTable.KPI_TOO_LATE) {
                continue;
            }
            Map<Integer, Long> generations =
                    GoldDiff.generationsInRange(
                            catalog.loadTable(diff.table().identifier()), range);
            long rows = generations.values().stream().mapToLong(n -> n).sum();
            long otherGeneration = rows - generations.getOrDefault(config.generation(), 0L);
            long expected = committedRows(catalog.loadTable(staged.rowsOf(diff.table())));
            if (rows != expected || otherGeneration > 0) {
                throw new IllegalStateException(
                        String.format(
                                Locale.ROOT,
                                "verification failed: %s holds %d rows of the range, %d expected,"
                                        + " %d of another generation than %d",
                                diff.table().identifier(),
                                rows,
                                expected,
                                otherGeneration,
                                config.generation()));
            }
        }
        out.println(
                "verified: gold holds the backfilled rows, all of generation "
                        + config.generation());
    }

    private static long committedRows(Table table) {
        Snapshot snapshot = table.currentSnapshot();
        return snapshot == null
                ? 0
                : Long.parseLong(snapshot.summary().getOrDefault("total-records", "0"));
    }

    /**
     * The backfill of this range and generation whose last record says it replaced gold tables and
     * then failed (the daily usage or the upserts undone), or null: a rerun finds no change in
     * gold, and finishes that run's work instead.
     */
    private String interruptedApply(Catalog catalog) {
        for (Record run : BackfillRecords.all(catalog)) {
            boolean same =
                    GoldDiff.millis(run.getField("range_from"))
                                    == config.range().from().toEpochMilli()
                            && GoldDiff.millis(run.getField("range_to"))
                                    == config.range().to().toEpochMilli()
                            && Integer.valueOf(config.generation())
                                    .equals(run.getField("generation"));
            if (!same || Boolean.TRUE.equals(run.getField("dry_run"))) {
                continue;
            }
            boolean replacedThenFailed =
                    ("failed".equals(run.getField("outcome"))
                                    || "conflict".equals(run.getField("outcome")))
                            && run.getField("snapshots") != null;
            return replacedThenFailed ? (String) run.getField("backfill_id") : null;
        }
        return null;
    }

    /** A reason to refuse when gold already holds a newer generation than this backfill's. */
    private String olderGeneration(List<TableDiff> diffs) {
        int newest = diffs.stream().mapToInt(TableDiff::newestGenerationBefore).max().orElse(0);
        if (newest <= config.generation()) {
            return null;
        }
        String refusal =
                "gold holds rows of generation "
                        + newest
                        + " in the range: rows of generation "
                        + config.generation()
                        + " would lose to them in Pinot; pass the generation now deployed"
                        + " (--generation "
                        + newest
                        + " or higher)";
        out.println("refused: " + refusal);
        return refusal;
    }

    private static void count(List<TableDiff> diffs) {
        for (TableDiff diff : diffs) {
            String table = diff.table().identifier().toString();
            rows(table, "added", diff.count(Change.ADDED));
            rows(table, "changed", diff.count(Change.CHANGED));
            rows(table, "removed", diff.count(Change.REMOVED));
            rows(table, "restamped", diff.restamped());
            rows(table, "unchanged", diff.unchanged());
        }
    }

    private static void rows(String table, String change, long count) {
        Counter.builder(PipelineMetric.BACKFILL_ROWS.meterName())
                .description(PipelineMetric.BACKFILL_ROWS.description())
                .tag("table", table)
                .tag("change", change)
                .register(Metrics.globalRegistry)
                .increment(count);
    }

    private void record(
            Catalog catalog,
            Result result,
            Instant started,
            long durationMs,
            Map<String, String> snapshots) {
        DiffReport diff = result.diff();
        long[] rows = new long[4];
        if (diff != null) {
            for (TableDiff table : diff.tables()) {
                rows[0] += table.count(Change.ADDED);
                rows[1] += table.count(Change.CHANGED);
                rows[2] += table.count(Change.REMOVED);
                rows[3] += table.restamped();
            }
        }
        try {
            BackfillRecords.append(
                    catalog,
                    new BackfillRecords.Run(
                            result.backfillId(),
                            config.get(BackfillConfig.REQUESTED_BY),
                            config.range(),
                            config.get(BackfillConfig.REASON),
                            config.generation(),
                            config.grains().stream()
                                    .map(g -> g.name().toLowerCase(Locale.ROOT))
                                    .collect(Collectors.joining(";")),
                            dryRun,
                            result.outcome().name().toLowerCase(Locale.ROOT),
                            result.detail(),
                            started,
                            durationMs,
                            rows[0],
                            rows[1],
                            rows[2],
                            rows[3],
                            diff == null ? null : diff.json(),
                            diff == null ? null : diff.text(),
                            snapshots.isEmpty()
                                    ? null
                                    : snapshots.entrySet().stream()
                                            .map(e -> e.getKey() + "=" + e.getValue())
                                            .collect(Collectors.joining(", "))));
        } catch (RuntimeException e) {
            out.println("the backfill's record could not be written: " + e);
        }
    }

    private static <T> T timed(String phase, java.util.function.Supplier<T> work) {
        long started = System.nanoTime();
        try {
            return work.get();
        } finally {
            DistributionSummary.builder(PipelineMetric.BACKFILL_DURATION.meterName())
                    .description(PipelineMetric.BACKFILL_DURATION.description())
                    .baseUnit("milliseconds")
                    .tag("phase", phase)
                    .register(Metrics.globalRegistry)
                    .record(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }

    private static void timed(String phase, Runnable work) {
        timed(
                phase,
                () -> {
                    work.run();
                    return null;
                });
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.toString();
    }

    private static void close(Catalog catalog) {
        if (catalog instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // closing a catalog client at exit: nothing to do about it
            }
        }
    }
}
