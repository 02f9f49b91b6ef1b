package dev.servicehealth.backfill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;

/**
 * The record of every backfill, applied, unchanged, dry run, refused or failed, in {@code
 * backfill.runs}: who, the range, why, the generation, what the diff found (its summary, its JSON
 * and its text) and how long it took. One row per run, appended when it ends.
 */
public final class BackfillRecords {
    static final TableIdentifier RUNS = TableIdentifier.of(StagedTables.NAMESPACE, "runs");

    static final Schema SCHEMA =
            new Schema(
                    Types.NestedField.required(1, "backfill_id", Types.StringType.get()),
                    Types.NestedField.required(2, "requested_by", Types.StringType.get()),
                    Types.NestedField.required(3, "range_from", Types.TimestampType.withZone()),
                    Types.NestedField.required(4, "range_to", Types.TimestampType.withZone()),
                    Types.NestedField.required(5, "reason", Types.StringType.get()),
                    Types.NestedField.required(6, "generation", Types.IntegerType.get()),
                    Types.NestedField.required(7, "grains", Types.StringType.get()),
                    Types.NestedField.required(8, "dry_run", Types.BooleanType.get()),
                    Types.NestedField.required(9, "outcome", Types.StringType.get()),
                    Types.NestedField.optional(10, "detail", Types.StringType.get()),
                    Types.NestedField.required(11, "started_at", Types.TimestampType.withZone()),
                    Types.NestedField.required(12, "duration_ms", Types.LongType.get()),
                    Types.NestedField.required(13, "rows_added", Types.LongType.get()),
                    Types.NestedField.required(14, "rows_changed", Types.LongType.get()),
                    Types.NestedField.required(15, "rows_removed", Types.LongType.get()),
                    Types.NestedField.required(16, "rows_restamped", Types.LongType.get()),
                    Types.NestedField.optional(17, "diff_json", Types.StringType.get()),
                    Types.NestedField.optional(18, "diff_text", Types.StringType.get()),
                    Types.NestedField.optional(
                            19, "snapshots", Types.StringType.get(), "table=snapshot id, ..."));

    private BackfillRecords() {}

    /** One run, as recorded. */
    public record Run(
            String backfillId,
            String requestedBy,
            BackfillRange range,
            String reason,
            int generation,
            String grains,
            boolean dryRun,
            String outcome,
            String detail,
            Instant startedAt,
            long durationMs,
            long rowsAdded,
            long rowsChanged,
            long rowsRemoved,
            long rowsRestamped,
            String diffJson,
            String diffText,
            String snapshots) {}

    public static void append(Catalog catalog, Run run) {
        Table table = runsTable(catalog);
        Record record = GenericRecord.create(SCHEMA);
        record.setField("backfill_id", run.backfillId());
        record.setField("requested_by", run.requestedBy());
        record.setField("range_from", time(run.range().from()));
        record.setField("range_to", time(run.range().to()));
        record.setField("reason", run.reason());
        record.setField("generation", run.generation());
        record.setField("grains", run.grains());
        record.setField("dry_run", run.dryRun());
        record.setField("outcome", run.outcome());
        record.setField("detail", run.detail());
        record.setField("started_at", time(run.startedAt()));
        record.setField("duration_ms", run.durationMs());
        record.setField("rows_added", run.rowsAdded());
        record.setField("rows_changed", run.rowsChanged());
        record.setField("rows_removed", run.rowsRemoved());
        record.setField("rows_restamped", run.rowsRestamped());
        record.setField("diff_json", run.diffJson());
        record.setField("diff_text", run.diffText());
        record.setField("snapshots", run.snapshots());
        DataWriter<Record> writer =
                new GenericFileWriterFactory.Builder(table)
                        .dataFileFormat(FileFormat.PARQUET)
                        .build()
                        .newDataWriter(
                                OutputFileFactory.builderFor(table, 1, System.currentTimeMillis())
                                        .format(FileFormat.PARQUET)
                                        .operationId(run.backfillId())
                                        .build()
                                        .newOutputFile(),
                                table.spec(),
                                null);
        try (writer) {
            writer.write(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        table.newAppend().appendFile(writer.toDataFile()).commit();
    }

    /** Every recorded run, the newest first. */
    public static List<Record> all(Catalog catalog) {
        if (!catalog.tableExists(RUNS)) {
            return List.of();
        }
        List<Record> runs = new ArrayList<>();
        try (CloseableIterable<Record> rows =
                IcebergGenerics.read(catalog.loadTable(RUNS)).build()) {
            rows.forEach(r -> runs.add(r.copy()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        runs.sort(
                Comparator.comparing((Record r) -> (OffsetDateTime) r.getField("started_at"))
                        .reversed());
        return runs;
    }

    private static Table runsTable(Catalog catalog) {
        StagedTables.createNamespace(catalog);
        if (!catalog.tableExists(RUNS)) {
            try {
                catalog.buildTable(RUNS, SCHEMA)
                        .withPartitionSpec(PartitionSpec.unpartitioned())
                        .withProperty(TableProperties.FORMAT_VERSION, "2")
                        .withProperty("comment", "every backfill: who, what, why, what changed")
                        .create();
            } catch (AlreadyExistsException createdMeanwhile) {
                // what we wanted
            }
        }
        return catalog.loadTable(RUNS);
    }

    private static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
