package dev.servicehealth.backfill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;

/**
 * Replaces the range's rows of one gold table with the staged ones in one Iceberg commit, validated
 * against the snapshot the diff read: if anything wrote rows of the range or deleted files since (a
 * too-late count, a compaction, a second backfill), the commit fails and nothing changes.
 *
 * <p>Copy on write, as Iceberg's overwrite by row filter: a file whose rows all lie in the range
 * (by its column bounds) is removed; a file that also holds rows outside it (a compacted day, or a
 * commit that straddles {@code from} or {@code to}) is rewritten without the range's rows; the
 * staged files are added as they are. The table keeps no delete files, so every reader (Snowflake
 * through a catalog integration included) reads it as plain files. The snapshot's summary names the
 * backfill, its generation and reason.
 */
public final class GoldOverwrite {
    private GoldOverwrite() {}

    /** What the commit did. */
    public record Outcome(
            long snapshotId, int filesRemoved, int filesRewritten, int filesAdded, long rowsKept) {}

    /**
     * @param readSnapshotId the snapshot the diff read, {@code null} when the table was empty
     * @throws org.apache.iceberg.exceptions.ValidationException when a conflicting commit came
     *     after {@code readSnapshotId}
     */
    public static Outcome apply(
            Table gold,
            Long readSnapshotId,
            Table staged,
            BackfillRange range,
            String backfillId,
            Map<String, String> summary) {
        Schema schema = gold.schema();
        if (!schema.sameSchema(staged.schema())) {
            throw new IllegalStateException(
                    gold.name() + " changed its schema since the backfill staged its rows; rerun");
        }
        OverwriteFiles overwrite = gold.newOverwrite();
        int removed = 0;
        int rewritten = 0;
        long kept = 0;
        if (readSnapshotId != null) {
            int windowStart = schema.findField("window_start").fieldId();
            OutputFileFactory files =
                    OutputFileFactory.builderFor(gold, 1, System.currentTimeMillis())
                            .format(FileFormat.PARQUET)
                            .operationId(backfillId)
                            .build();
            GenericFileWriterFactory writers =
                    new GenericFileWriterFactory.Builder(gold)
                            .dataFileFormat(FileFormat.PARQUET)
                            .build();
            try (CloseableIterable<FileScanTask> tasks =
                    gold.newScan()
                            .useSnapshot(readSnapshotId)
                            .filter(GoldDiff.inRange(range))
                            // the bounds decide whether a file is removed or rewritten
                            .includeColumnStats()
                            .planFiles()) {
                for (FileScanTask task : tasks) {
                    if (!task.deletes().isEmpty()) {
                        throw new IllegalStateException(
                                task.file().location()
                                        + " has delete files; gold is copy on write and has"
                                        + " none");
                    }
                    DataFile file = task.file();
                    overwrite.deleteFile(file);
                    if (withinRange(file, windowStart, range)) {
                        removed++;
                        continue;
                    }
                    rewritten++;
                    DataFile rest = withoutRange(gold, file, range, files, writers);
                    if (rest != null) {
                        overwrite.addFile(rest);
                        kept += rest.recordCount();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            overwrite.validateFromSnapshot(readSnapshotId);
        }
        // without a snapshot read, validated from the table's beginning
        overwrite
                .conflictDetectionFilter(GoldDiff.inRange(range))
                .validateNoConflictingData()
                .validateNoConflictingDeletes();
        int added = 0;
        if (staged.spec().specId() != gold.spec().specId()
                || !staged.spec().compatibleWith(gold.spec())) {
            throw new IllegalStateException(
                    gold.name()
                            + " changed its partitioning since the backfill staged its rows; rerun");
        }
        if (staged.currentSnapshot() != null) {
            try (CloseableIterable<FileScanTask> tasks = staged.newScan().planFiles()) {
                for (FileScanTask task : tasks) {
                    overwrite.addFile(DataFiles.builder(gold.spec()).copy(task.file()).build());
                    added++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        summary.forEach(overwrite::set);
        overwrite.commit();
        gold.refresh();
        // this commit's snapshot, whatever committed after it
        long committed = gold.currentSnapshot().snapshotId();
        for (org.apache.iceberg.Snapshot snapshot : gold.snapshots()) {
            if (backfillId.equals(snapshot.summary().get("backfill.id"))) {
                committed = snapshot.snapshotId();
            }
        }
        return new Outcome(committed, removed, rewritten, added, kept);
    }

    /** Whether every row of the file lies in the range, by its window_start bounds. */
    private static boolean withinRange(DataFile file, int fieldId, BackfillRange range) {
        ByteBuffer lower = file.lowerBounds() == null ? null : file.lowerBounds().get(fieldId);
        ByteBuffer upper = file.upperBounds() == null ? null : file.upperBounds().get(fieldId);
        if (lower == null || upper == null) {
            return false;
        }
        Types.TimestampType type = Types.TimestampType.withZone();
        long lowest = Conversions.<Long>fromByteBuffer(type, lower) / 1000;
        long highest = Conversions.<Long>fromByteBuffer(type, upper) / 1000;
        return range.contains(lowest) && range.contains(highest);
    }

    /** The file's rows outside the range, in a new file of the same partition; null if none. */
    private static DataFile withoutRange(
            Table gold,
            DataFile file,
            BackfillRange range,
            OutputFileFactory files,
            GenericFileWriterFactory writers)
            throws IOException {
        Schema schema = gold.schema();
        DataWriter<Record> writer = null;
        try (CloseableIterable<Record> rows =
                FormatModelRegistry.<Record, Schema>readBuilder(
                                file.format(),
                                Record.class,
                                gold.io().newInputFile(file.location()))
                        .project(schema)
                        .build()) {
            for (Record row : rows) {
                if (range.contains(GoldDiff.millis(row.getField("window_start")))) {
                    continue;
                }
                if (writer == null) {
                    writer =
                            writers.newDataWriter(
                                    files.newOutputFile(gold.spec(), file.partition()),
                                    gold.spec(),
                                    file.partition());
                }
                writer.write(row);
            }
        } finally {
            if (writer != null) {
                writer.close();
            }
        }
        return writer == null ? null : writer.toDataFile();
    }

    /** The snapshot summary entries that say which backfill wrote a snapshot. */
    public static Map<String, String> summary(
            String backfillId, int generation, String reason, BackfillRange range) {
        return Map.of(
                "backfill.id", backfillId,
                "backfill.generation", Integer.toString(generation),
                "backfill.reason", reason.length() > 500 ? reason.substring(0, 500) : reason,
                "backfill.range", range.toString(),
                "backfill.applied-at", Instant.now().toString());
    }
}
