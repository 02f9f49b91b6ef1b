package dev.servicehealth.backfill;

import dev.servicehealth.runtime.JobArguments;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;

/**
 * {@code ./backfill-range}: recomputes a closed range of the last 24 hours from bronze and, unless
 * it is a dry run, replaces it in gold and Pinot. The logic Airflow's DAG runs is here; the DAG
 * only calls it.
 *
 * <p>Exit codes: 0 applied, nothing to change, dry run done, or a list or release done; 1 failed; 2
 * a wrong argument; 3 refused by a safety check (range too old, not closed, older generation); 4
 * another backfill holds the lock; 5 gold changed while the backfill ran (run it again).
 */
public final class BackfillCli {
    static final int FAILED = Backfill.Outcome.FAILED.exitCode();
    static final int USAGE_ERROR = 2;
    static final int REFUSED = Backfill.Outcome.REFUSED.exitCode();
    static final int LOCKED = Backfill.Outcome.LOCKED.exitCode();

    static final String USAGE =
            "usage: backfill-range --from TIME --to TIME --reason TEXT --generation G"
                    + " [--dry-run | --approved-digest D] [--grains service;drilldown;saturation]"
                    + " [--report-json FILE] --bootstrap-servers HOST:PORT --catalog-uri URI"
                    + " --warehouse URI --tenant-key-file FILE [option ...]\n"
                    + "  in halves, the job between them on a cluster (the same options):\n"
                    + "       backfill-range --check | --stage-only | --compute ID | --await-computed ID"
                    + " | --diff ID"
                    + " [--report-json FILE] | --apply ID [--approved-digest D] | --abort ID"
                    + " | --verify ID\n"
                    + "       backfill-range --list | --release-lock ID  (with the catalog options)\n"
                    + "  TIME on a minute, e.g. 2026-11-30T10:00Z; the range must be closed (its end"
                    + " plus the 10 min lateness past) and within the horizon (24 h)\n"
                    + "  exit codes: 0 done (applied, unchanged or dry run), 1 failed, 2 wrong"
                    + " argument, 3 refused by a safety check, 4 another backfill is running,"
                    + " 5 gold changed meanwhile (run again)\n";

    private BackfillCli() {}

    public static void main(String[] args) {
        Metrics.addRegistry(new SimpleMeterRegistry());
        System.exit(
                run(
                        args,
                        System.out,
                        System.err,
                        StreamExecutionEnvironment::getExecutionEnvironment));
    }

    static int run(
            String[] args, PrintStream out, PrintStream err, Backfill.Environments environments) {
        boolean dryRun = false;
        boolean list = false;
        boolean check = false;
        boolean stageOnly = false;
        String release = null;
        String apply = null;
        String abort = null;
        String compute = null;
        String diff = null;
        String verify = null;
        String awaitComputed = null;
        String approvedDigest = null;
        Path reportJson = null;
        List<String> rest = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--help", "-h" -> {
                        out.print(USAGE);
                        out.print(BackfillConfig.usage());
                        return 0;
                    }
                    case "--dry-run" -> dryRun = true;
                    case "--list" -> list = true;
                    case "--check" -> check = true;
                    case "--stage-only" -> stageOnly = true;
                    case "--apply" -> apply = value(args, ++i);
                    case "--abort" -> abort = value(args, ++i);
                    case "--compute" -> compute = value(args, ++i);
                    case "--diff" -> diff = value(args, ++i);
                    case "--verify" -> verify = value(args, ++i);
                    case "--await-computed" -> awaitComputed = value(args, ++i);
                    case "--approved-digest" -> approvedDigest = value(args, ++i);
                    case "--release-lock" -> release = value(args, ++i);
                    case "--report-json" -> reportJson = Path.of(value(args, ++i));
                    default -> rest.add(args[i]);
                }
            }
            long modes =
                    java.util.stream.Stream.of(
                                    check,
                                    stageOnly,
                                    list,
                                    release,
                                    apply,
                                    abort,
                                    compute,
                                    diff,
                                    verify,
                                    awaitComputed)
                            .filter(m -> m != null && !Boolean.FALSE.equals(m))
                            .count();
            if (modes > 1) {
                throw new IllegalArgumentException(
                        "one of --check, --stage-only, --compute,"
                                + " --diff, --apply, --abort, --verify, --list, --release-lock at a time");
            }
            if (dryRun && (modes > 0 || approvedDigest != null)) {
                throw new IllegalArgumentException(
                        "--dry-run goes with a whole run only, not with a phase or"
                                + " --approved-digest (--diff is the dry run of a staged backfill)");
            }
            Map<String, String> values = JobArguments.parse(rest.toArray(String[]::new));
            if (list || release != null) {
                return administer(values, list, release, out, err);
            }
            BackfillConfig config = BackfillConfig.fromMap(values);
            Backfill backfill = new Backfill(config, dryRun, out, environments);
            Backfill.Result result;
            if (check) {
                result = backfill.check();
            } else if (stageOnly) {
                result = backfill.stageOnly();
                out.println("backfill-id=" + result.backfillId());
            } else if (awaitComputed != null) {
                result = backfill.awaitComputed(awaitComputed, Duration.ofHours(2));
            } else if (compute != null) {
                result = backfill.compute(compute);
            } else if (diff != null) {
                result = backfill.diff(diff);
            } else if (verify != null) {
                result = backfill.verify(verify);
            } else if (apply != null) {
                result = backfill.finish(apply, approvedDigest);
            } else if (abort != null) {
                result = backfill.abort(abort, "aborted by request");
            } else {
                result = backfill.run(approvedDigest);
            }
            if (reportJson != null && result.diff() != null) {
                try {
                    Files.writeString(reportJson, result.diff().json());
                } catch (IOException e) {
                    // the run is done; only its copy of the report is missing
                    err.println("cannot write the report to " + reportJson + ": " + e);
                }
            }
            return result.outcome().exitCode();
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(USAGE);
            return USAGE_ERROR;
        }
    }

    /** {@code --list} the recorded runs, or {@code --release-lock} a dead run's lock. */
    private static int administer(
            Map<String, String> values,
            boolean list,
            String release,
            PrintStream out,
            PrintStream err) {
        Map<String, String> catalogOnly = new java.util.HashMap<>(values);
        catalogOnly
                .keySet()
                .retainAll(
                        List.of(
                                "catalog-type",
                                "catalog-uri",
                                "warehouse",
                                "catalog-name",
                                "io-impl"));
        Catalog catalog =
                dev.servicehealth.history.HistoryCatalogOptions.catalog(
                                JobArguments.toConfiguration(
                                                catalogOnly,
                                                dev.servicehealth.history.HistoryCatalogOptions.ALL)
                                        ::get)
                        .open();
        try {
            if (release != null) {
                if (BackfillLock.release(catalog, release)) {
                    out.println("released the lock of " + release);
                    return 0;
                }
                err.println(release + " does not hold the lock");
                return FAILED;
            }
            for (Record run : BackfillRecords.all(catalog)) {
                out.printf(
                        "%s %s [%s, %s) g%s %s by %s: %s (+%s ~%s -%s rows) %s%n",
                        run.getField("started_at"),
                        run.getField("backfill_id"),
                        run.getField("range_from"),
                        run.getField("range_to"),
                        run.getField("generation"),
                        Boolean.TRUE.equals(run.getField("dry_run")) ? "dry run" : "run",
                        run.getField("requested_by"),
                        run.getField("outcome"),
                        run.getField("rows_added"),
                        run.getField("rows_changed"),
                        run.getField("rows_removed"),
                        run.getField("reason"));
            }
            return 0;
        } finally {
            if (catalog instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // at exit
                }
            }
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }
}
