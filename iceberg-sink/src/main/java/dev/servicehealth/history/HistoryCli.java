package dev.servicehealth.history;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;

/**
 * {@code ./history}: what the history tables hold. Without arguments, per table its rows, data
 * files, partitions, last commit and the newest time its rows reach; with a table's name, the same
 * per partition, from the table metadata only (file counts and column bounds). {@code retain}
 * applies the retention; {@code usage} runs the daily usage batch for a day on a local Flink and
 * shows its rows.
 */
public final class HistoryCli {
    static final String USAGE =
            "usage: history [--catalog-uri URI] [--warehouse URI] [--catalog-name NAME]"
                    + " [TABLE | retain [--now TIME] | usage [--day DAY]]\n"
                    + "  without TABLE: every table's rows, files, partitions, last commit and"
                    + " newest time\n"
                    + "  TABLE (e.g. bronze.raw_records): the same per partition\n"
                    + "  retain: drop the partitions older than each table keeps them, as of"
                    + " TIME (ISO-8601, default now)\n"
                    + "  usage: compute a UTC day's tenant usage (the daily batch) and show it,"
                    + " DAY e.g. 2026-12-01 (default today)\n"
                    + "  default catalog: the newest local run's"
                    + " (local-run-data/run-*/history/catalog.db)";

    private HistoryCli() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        try {
            return runChecked(args, out, err);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage() + "\n" + USAGE);
            return 2;
        }
    }

    private static int runChecked(String[] args, PrintStream out, PrintStream err)
            throws Exception {
        HistoryCatalog local = HistoryCatalog.inDirectory("service_health", newestLocalRun());
        String uri = local.uri();
        String warehouse = local.warehouse();
        String catalogName = "service_health";
        String tableName = null;
        Instant now = Instant.now();
        LocalDate day = LocalDate.now(ZoneOffset.UTC);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--catalog-uri" -> uri = value(args, ++i);
                case "--warehouse" -> warehouse = value(args, ++i);
                case "--catalog-name" -> catalogName = value(args, ++i);
                case "--now" -> now = instant(value(args, ++i));
                case "--day" -> day = TenantUsageJob.day(value(args, ++i));
                case "--help", "-h" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> {
                    if (args[i].startsWith("--") || tableName != null) {
                        err.println("unknown argument " + args[i] + "\n" + USAGE);
                        return 2;
                    }
                    tableName = args[i];
                }
            }
        }
        if (uri.startsWith("jdbc:sqlite:")
                && !Files.exists(Path.of(uri.substring("jdbc:sqlite:".length())))) {
            err.println(
                    "no history catalog at "
                            + uri.substring("jdbc:sqlite:".length())
                            + ": start the local run (./service-health-local) or pass"
                            + " --catalog-uri");
            return 1;
        }
        HistoryCatalog history = HistoryCatalog.jdbc(catalogName, uri, warehouse);
        if ("usage".equals(tableName)) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
            TenantUsageJob.defineWorkflow(env, history, day);
            env.execute("tenant-usage-" + day);
        }
        Catalog catalog = history.open();
        try {
            if (tableName == null) {
                printTables(catalog, out);
                return 0;
            }
            if (tableName.equals("usage")) {
                printUsage(
                        catalog.loadTable(HistoryTable.TENANT_USAGE_DAILY.identifier()), day, out);
                return 0;
            }
            if (tableName.equals("retain")) {
                for (HistoryRetention.Dropped dropped : HistoryRetention.apply(catalog, now)) {
                    out.printf(
                            "%-24s kept from %s: dropped %d files, %d rows%n",
                            dropped.table().identifier(),
                            dropped.before(),
                            dropped.files(),
                            dropped.rows());
                }
                return 0;
            }
            for (HistoryTable table : HistoryTable.values()) {
                if (table.identifier().toString().equals(tableName)) {
                    printPartitions(catalog.loadTable(table.identifier()), table, out);
                    return 0;
                }
            }
            err.println("no history table " + tableName + "; one of " + tableNames());
            return 2;
        } finally {
            if (catalog instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    /** The history of the newest local run (local-run-data/run-yyyyMMdd-HHmmss/history). */
    private static Path newestLocalRun() throws IOException {
        Path data = Path.of("local-run-data");
        Path newest = data.resolve("run-none").resolve("history");
        if (Files.isDirectory(data)) {
            try (Stream<Path> runs = Files.list(data)) {
                newest =
                        runs.filter(run -> run.getFileName().toString().startsWith("run-"))
                                .map(run -> run.resolve("history"))
                                .filter(history -> Files.exists(history.resolve("catalog.db")))
                                .max(Comparator.naturalOrder())
                                .orElse(newest);
            }
        }
        return newest;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    /** The day's usage rows, the largest tenants first. */
    private static void printUsage(Table usage, LocalDate day, PrintStream out) throws Exception {
        long dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() * 1000;
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> records =
                IcebergGenerics.read(usage)
                        .where(Expressions.equal("usage_day", dayStart))
                        .build()) {
            records.forEach(rows::add);
        }
        rows.sort(Comparator.comparing((Record r) -> (Long) r.getField("requests")).reversed());
        out.printf(
                "%s: %d tenant × region rows%n%-46s %-6s %10s %10s %14s %10s%n",
                day,
                rows.size(),
                "tenant token",
                "region",
                "requests",
                "successes",
                "bytes out",
                "peak/min");
        for (Record row : rows) {
            out.printf(
                    "%-46s %-6s %10d %10d %14d %10d%n",
                    row.getField("tenant_token"),
                    row.getField("region"),
                    row.getField("requests"),
                    row.getField("successes"),
                    row.getField("bytes_out"),
                    row.getField("peak_requests_per_minute"));
        }
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "--now " + value + " is not an ISO-8601 instant such as 2026-12-01T00:00:00Z");
        }
    }

    private static List<String> tableNames() {
        List<String> names = new ArrayList<>();
        for (HistoryTable table : HistoryTable.values()) {
            names.add(table.identifier().toString());
        }
        return names;
    }

    private static void printTables(Catalog catalog, PrintStream out) throws Exception {
        out.printf(
                "%-26s %10s %7s %12s %10s  %-24s %s%n",
                "table", "rows", "files", "bytes", "partitions", "last commit", "newest time");
        for (HistoryTable table : HistoryTable.values()) {
            if (!catalog.tableExists(table.identifier())) {
                out.printf("%-26s not created yet%n", table.identifier());
                continue;
            }
            Table iceberg = catalog.loadTable(table.identifier());
            Map<String, Summary> partitions = partitions(iceberg, table);
            Summary total = new Summary();
            partitions.values().forEach(total::add);
            Snapshot last = iceberg.currentSnapshot();
            out.printf(
                    "%-26s %10d %7d %12d %10d  %-24s %s%n",
                    table.identifier(),
                    total.rows,
                    total.files,
                    total.bytes,
                    partitions.size(),
                    last == null ? "never" : Instant.ofEpochMilli(last.timestampMillis()),
                    total.newest == null
                            ? "-"
                            : table.timeColumn() + " " + Instant.ofEpochMilli(total.newest / 1000));
        }
    }

    private static void printPartitions(Table iceberg, HistoryTable table, PrintStream out)
            throws Exception {
        out.printf(
                "%-48s %10s %7s %12s  %s%n", "partition", "rows", "files", "bytes", "newest time");
        for (Map.Entry<String, Summary> partition : partitions(iceberg, table).entrySet()) {
            Summary summary = partition.getValue();
            out.printf(
                    "%-48s %10d %7d %12d  %s%n",
                    partition.getKey(),
                    summary.rows,
                    summary.files,
                    summary.bytes,
                    summary.newest == null ? "-" : Instant.ofEpochMilli(summary.newest / 1000));
        }
    }

    /** Per partition of the current snapshot: rows, files, bytes and the time column's maximum. */
    private static Map<String, Summary> partitions(Table iceberg, HistoryTable table)
            throws Exception {
        Map<String, Summary> partitions = new TreeMap<>();
        int timeField = iceberg.schema().findField(table.timeColumn()).fieldId();
        try (CloseableIterable<FileScanTask> tasks =
                iceberg.newScan().includeColumnStats().planFiles()) {
            for (FileScanTask task : tasks) {
                DataFile file = task.file();
                String partition =
                        iceberg.specs().get(file.specId()).partitionToPath(file.partition());
                Summary summary = partitions.computeIfAbsent(partition, p -> new Summary());
                summary.rows += file.recordCount();
                summary.files++;
                summary.bytes += file.fileSizeInBytes();
                ByteBuffer upper =
                        file.upperBounds() == null ? null : file.upperBounds().get(timeField);
                if (upper != null) {
                    long micros =
                            (Long)
                                    Conversions.fromByteBuffer(
                                            Types.TimestampType.withZone(), upper);
                    summary.newest =
                            summary.newest == null ? micros : Math.max(summary.newest, micros);
                }
            }
        }
        return partitions;
    }

    private static final class Summary {
        long rows;
        long files;
        long bytes;
        Long newest;

        void add(Summary other) {
            rows += other.rows;
            files += other.files;
            bytes += other.bytes;
            if (other.newest != null) {
                newest = newest == null ? other.newest : Math.max(newest, other.newest);
            }
        }
    }
}
