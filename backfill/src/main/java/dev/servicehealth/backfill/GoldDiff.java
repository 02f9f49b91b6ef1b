package dev.servicehealth.backfill;

import dev.servicehealth.history.HistoryTable;
import dev.servicehealth.model.catalog.Grain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * What a backfill would change in one gold table: the range's rows as gold holds them (at the
 * snapshot the diff read, the one the commit validates from) against the staged ones, per row key
 * and KPI column.
 *
 * <p>Compared are the KPIs: counters and event counts exactly, percentiles and saturation values
 * within {@value #RELATIVE_TOLERANCE} of each other. A t-digest merged in another order answers a
 * quantile slightly differently; the stream and the batch merge in different orders, so closer than
 * that is the merge, not the data. Sketch bytes, versions, firings and emission times are the rows'
 * bookkeeping, not what anyone reads as a number; a row whose KPIs are the same but whose
 * generation is not is restamped, not changed.
 *
 * <p>The too-late table has no row key (one row per late contribution): it is compared by window
 * and dimensions, its events summed.
 *
 * <p>Memory: the range's rows of the table, gold's and the staged ones, keyed (a few hundred bytes
 * a row; a day of the local run's drill-down rows is a few hundred thousand).
 */
public final class GoldDiff {
    /** How far apart two percentile or saturation values may be and still be the same. */
    static final double RELATIVE_TOLERANCE = 0.02;

    private static final Set<String> BOOKKEEPING =
            Set.of("newest_event_at", "version", "generation", "firing", "emitted_at", "seen_at");

    private GoldDiff() {}

    /** What changed in a row, by KPI column. */
    public record ValueChange(String column, Object before, Object after) {}

    /**
     * One row that differs.
     *
     * @param magnitude the sum of the absolute changes of its numbers, to sort the largest first
     */
    public record RowChange(
            HistoryTable table,
            String key,
            Change change,
            List<ValueChange> values,
            double magnitude) {}

    public enum Change {
        ADDED,
        CHANGED,
        REMOVED
    }

    /** The comparison of one table. */
    public record TableDiff(
            HistoryTable table,
            long before,
            long after,
            long unchanged,
            long restamped,
            int newestGenerationBefore,
            List<RowChange> changes) {
        public long count(Change change) {
            return changes.stream().filter(c -> c.change() == change).count();
        }

        /** Whether applying would change the table: a KPI or a generation. */
        public boolean changesAnything() {
            return !changes.isEmpty() || restamped > 0;
        }
    }

    /** The range's rows of {@code gold} at {@code snapshotId} against all of {@code staged}. */
    public static TableDiff of(
            HistoryTable table, Table gold, Long snapshotId, Table staged, BackfillRange range) {
        Schema schema = gold.schema();
        List<String> keyColumns = keyColumns(table);
        List<Types.NestedField> kpis = kpiColumns(schema, keyColumns);
        boolean summed = table == HistoryTable.KPI_TOO_LATE;

        Map<String, Row> before = new HashMap<>();
        if (snapshotId != null) {
            forEachInRange(
                    gold, snapshotId, range, r -> put(before, Row.of(r, keyColumns, kpis), summed));
        }
        long beforeRows = before.size();
        int newestGeneration = before.values().stream().mapToInt(Row::generation).max().orElse(0);
        long afterRows = 0;
        long unchanged = 0;
        long restamped = 0;
        List<RowChange> changes = new ArrayList<>();
        Map<String, Row> after = new LinkedHashMap<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(staged).build()) {
            for (Record record : rows) {
                put(after, Row.of(record, keyColumns, kpis), summed);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Row row : after.values()) {
            afterRows++;
            Row old = before.remove(row.key());
            if (old == null) {
                changes.add(change(table, Change.ADDED, null, row, kpis));
                continue;
            }
            RowChange change = change(table, Change.CHANGED, old, row, kpis);
            if (!change.values().isEmpty()) {
                changes.add(change);
            } else if (old.generation() != row.generation()) {
                restamped++;
            } else {
                unchanged++;
            }
        }
        for (Row old : before.values()) {
            changes.add(change(table, Change.REMOVED, old, null, kpis));
        }
        // the largest first; ties by key, so the same diff always reads, and digests, the same
        changes.sort(
                Comparator.comparingDouble((RowChange c) -> -c.magnitude())
                        .thenComparing(RowChange::key));
        return new TableDiff(
                table, beforeRows, afterRows, unchanged, restamped, newestGeneration, changes);
    }

    /** Each row of the range in {@code table} at {@code snapshotId} (null: the current one). */
    static void forEachInRange(
            Table table, Long snapshotId, BackfillRange range, Consumer<Record> action) {
        IcebergGenerics.ScanBuilder scan = IcebergGenerics.read(table).where(inRange(range));
        if (snapshotId != null) {
            scan.useSnapshot(snapshotId);
        }
        try (CloseableIterable<Record> rows = scan.build()) {
            for (Record row : rows) {
                // the filter prunes files; this decides
                if (range.contains(millis(row.getField("window_start")))) {
                    action.accept(row);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The range's rows of a gold KPI table now, by the generation that computed them. */
    static Map<Integer, Long> generationsInRange(Table table, BackfillRange range) {
        Map<Integer, Long> rows = new TreeMap<>();
        forEachInRange(
                table,
                null,
                range,
                r -> rows.merge((Integer) r.getField("generation"), 1L, Long::sum));
        return rows;
    }

    static Expression inRange(BackfillRange range) {
        return Expressions.and(
                Expressions.greaterThanOrEqual("window_start", range.from().toEpochMilli() * 1000),
                Expressions.lessThan("window_start", range.to().toEpochMilli() * 1000));
    }

    /** The columns that make a row's key: the grain's dimensions, with the grain for too-late. */
    static List<String> keyColumns(HistoryTable table) {
        if (table == HistoryTable.KPI_TOO_LATE) {
            List<String> columns = new ArrayList<>(List.of("grain", "window_start"));
            for (Grain grain : Grain.values()) {
                for (String dimension : grain.dimensions().subList(1, grain.dimensions().size())) {
                    if (!columns.contains(dimension)) {
                        columns.add(dimension);
                    }
                }
            }
            return columns;
        }
        for (Grain grain : Grain.values()) {
            if (HistoryTable.finalRowsOf(grain) == table) {
                return grain.dimensions();
            }
        }
        throw new IllegalArgumentException(table + " is not a gold KPI table");
    }

    private static List<Types.NestedField> kpiColumns(Schema schema, List<String> keyColumns) {
        List<Types.NestedField> kpis = new ArrayList<>();
        for (Types.NestedField column : schema.columns()) {
            if (!keyColumns.contains(column.name())
                    && !BOOKKEEPING.contains(column.name())
                    && column.type().typeId() != Type.TypeID.BINARY) {
                kpis.add(column);
            }
        }
        return kpis;
    }

    private static void put(Map<String, Row> rows, Row row, boolean summed) {
        Row existing = rows.putIfAbsent(row.key(), row);
        if (existing != null) {
            if (!summed) {
                throw new IllegalStateException("two rows of " + row.key() + " in one table");
            }
            rows.put(row.key(), existing.plus(row));
        }
    }

    private static RowChange change(
            HistoryTable table,
            Change change,
            Row before,
            Row after,
            List<Types.NestedField> kpis) {
        List<ValueChange> values = new ArrayList<>();
        double magnitude = 0;
        for (int i = 0; i < kpis.size(); i++) {
            Object old = before == null ? null : before.values()[i];
            Object now = after == null ? null : after.values()[i];
            if (!same(old, now)) {
                values.add(new ValueChange(kpis.get(i).name(), old, now));
                magnitude += Math.abs(number(now) - number(old));
            }
        }
        String key = (after != null ? after : before).key();
        return new RowChange(table, key, change, List.copyOf(values), magnitude);
    }

    private static boolean same(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof Double x && b instanceof Double y) {
            return Math.abs(x - y) <= RELATIVE_TOLERANCE * Math.max(Math.abs(x), Math.abs(y));
        }
        return a.equals(b);
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }

    static long millis(Object timestamp) {
        return ((OffsetDateTime) timestamp).toInstant().toEpochMilli();
    }

    /** A row reduced to its key, its KPI values in column order and its generation. */
    private record Row(String key, Object[] values, int generation) {
        static Row of(Record record, List<String> keyColumns, List<Types.NestedField> kpis) {
            StringBuilder key = new StringBuilder();
            for (String column : keyColumns) {
                Object value = record.getField(column);
                if (value == null) {
                    continue;
                }
                if (key.length() > 0) {
                    key.append(' ');
                }
                key.append(column)
                        .append('=')
                        .append(
                                value instanceof OffsetDateTime time
                                        ? Instant.ofEpochMilli(time.toInstant().toEpochMilli())
                                        : value);
            }
            Object[] values = new Object[kpis.size()];
            for (int i = 0; i < kpis.size(); i++) {
                values[i] = record.getField(kpis.get(i).name());
            }
            Object generation =
                    record.struct().field("generation") == null
                            ? null
                            : record.getField("generation");
            return new Row(key.toString(), values, generation == null ? 0 : (Integer) generation);
        }

        /** Two late contributions to the same window and dimensions: their events summed. */
        Row plus(Row other) {
            Object[] sum = values.clone();
            for (int i = 0; i < sum.length; i++) {
                if (sum[i] instanceof Long a && other.values[i] instanceof Long b) {
                    sum[i] = a + b;
                }
            }
            return new Row(key, sum, generation);
        }
    }
}
