package dev.servicehealth.backfill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servicehealth.backfill.GoldDiff.Change;
import dev.servicehealth.backfill.GoldDiff.RowChange;
import dev.servicehealth.backfill.GoldDiff.TableDiff;
import dev.servicehealth.backfill.GoldDiff.ValueChange;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A backfill's diff as the people who approve it read it: per table the rows added, changed,
 * removed and restamped; per KPI column how many rows change and, for a counter, the changed rows'
 * total before and after; then the largest changes first, each with its old and new values. The
 * same as JSON, kept with the backfill's record and handed to Airflow, and as text. Both list at
 * most {@code shown} rows per table; the counts are of all of them.
 */
public record DiffReport(List<TableDiff> tables, int shown) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean empty() {
        return tables.stream().noneMatch(TableDiff::changesAnything);
    }

    /**
     * What the diff says, in 16 hex digits: an approver names the diff they reviewed by it, and a
     * backfill applies only the diff whose digest it was given. Made of what a recomputation
     * reproduces exactly: the counts, each changed row's key and kind, the columns that change and
     * their whole-number values; not the percentiles' last digits, which the sketches' merge order
     * moves (within {@link GoldDiff#RELATIVE_TOLERANCE}).
     */
    public String digest() {
        StringBuilder canonical = new StringBuilder();
        for (TableDiff table : tables) {
            canonical
                    .append(table.table().identifier())
                    .append('|')
                    .append(table.count(Change.ADDED))
                    .append('|')
                    .append(table.count(Change.CHANGED))
                    .append('|')
                    .append(table.count(Change.REMOVED))
                    .append('|')
                    .append(table.restamped())
                    .append('\n');
            table.changes().stream()
                    .map(
                            change -> {
                                StringBuilder row =
                                        new StringBuilder(change.change().name())
                                                .append(' ')
                                                .append(change.key());
                                for (ValueChange value : change.values()) {
                                    row.append(' ').append(value.column());
                                    if (!(value.before() instanceof Double)
                                            && !(value.after() instanceof Double)) {
                                        row.append('=')
                                                .append(value.before())
                                                .append(">")
                                                .append(value.after());
                                    }
                                }
                                return row.toString();
                            })
                    .sorted()
                    .forEach(row -> canonical.append(row).append('\n'));
        }
        try {
            byte[] hash =
                    MessageDigest.getInstance("SHA-256")
                            .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("empty", empty());
        root.put("digest", digest());
        ArrayNode tablesNode = root.putArray("tables");
        for (TableDiff table : tables) {
            ObjectNode node = tablesNode.addObject();
            node.put("table", table.table().identifier().toString());
            node.put("rows_before", table.before());
            node.put("rows_after", table.after());
            node.put("added", table.count(Change.ADDED));
            node.put("changed", table.count(Change.CHANGED));
            node.put("removed", table.count(Change.REMOVED));
            node.put("restamped", table.restamped());
            node.put("unchanged", table.unchanged());
            ObjectNode columns = node.putObject("columns");
            for (Map.Entry<String, ColumnTotals> column : columnTotals(table).entrySet()) {
                ObjectNode totals = columns.putObject(column.getKey());
                totals.put("rows", column.getValue().rows);
                if (column.getValue().summable) {
                    totals.put("total_before", (long) column.getValue().before);
                    totals.put("total_after", (long) column.getValue().after);
                }
            }
            ArrayNode largest = node.putArray("largest");
            for (RowChange change : table.changes().subList(0, shownOf(table))) {
                ObjectNode row = largest.addObject();
                row.put("key", change.key());
                row.put("change", change.change().name().toLowerCase(Locale.ROOT));
                ObjectNode values = row.putObject("values");
                for (ValueChange value : change.values()) {
                    ObjectNode pair = values.putObject(value.column());
                    pair.set("before", JSON.valueToTree(value.before()));
                    pair.set("after", JSON.valueToTree(value.after()));
                }
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String text() {
        StringBuilder text = new StringBuilder();
        if (empty()) {
            text.append("no change: every row of the range is what gold holds already\n");
        }
        for (TableDiff table : tables) {
            text.append(
                    String.format(
                            Locale.ROOT,
                            "%s: %d rows before, %d after; %d added, %d changed, %d removed,"
                                    + " %d restamped, %d unchanged%n",
                            table.table().identifier(),
                            table.before(),
                            table.after(),
                            table.count(Change.ADDED),
                            table.count(Change.CHANGED),
                            table.count(Change.REMOVED),
                            table.restamped(),
                            table.unchanged()));
            for (Map.Entry<String, ColumnTotals> column : columnTotals(table).entrySet()) {
                ColumnTotals totals = column.getValue();
                text.append(
                        String.format(
                                Locale.ROOT,
                                totals.summable
                                        ? "  %-24s %6d rows  total %s -> %s%n"
                                        : "  %-24s %6d rows%n",
                                column.getKey(),
                                totals.rows,
                                number(totals.before),
                                number(totals.after)));
            }
            int shown = shownOf(table);
            if (shown > 0) {
                text.append("  largest changes:\n");
            }
            for (RowChange change : table.changes().subList(0, shown)) {
                text.append("    ")
                        .append(change.change().name().toLowerCase(Locale.ROOT))
                        .append(' ')
                        .append(change.key())
                        .append('\n');
                for (ValueChange value : change.values()) {
                    text.append("      ")
                            .append(value.column())
                            .append(": ")
                            .append(value.before())
                            .append(" -> ")
                            .append(value.after())
                            .append('\n');
                }
            }
            if (table.changes().size() > shown) {
                text.append("    … and ").append(table.changes().size() - shown).append(" more\n");
            }
        }
        return text.toString();
    }

    private int shownOf(TableDiff table) {
        return Math.min(shown, table.changes().size());
    }

    private static String number(double total) {
        return Long.toString((long) total);
    }

    private static Map<String, ColumnTotals> columnTotals(TableDiff table) {
        Map<String, ColumnTotals> totals = new LinkedHashMap<>();
        for (RowChange change : table.changes()) {
            for (ValueChange value : change.values()) {
                ColumnTotals column =
                        totals.computeIfAbsent(value.column(), c -> new ColumnTotals());
                column.rows++;
                // counters add up; percentiles and gauges do not
                column.summable &=
                        !(value.before() instanceof Double) && !(value.after() instanceof Double);
                column.before += value.before() instanceof Number n ? n.doubleValue() : 0;
                column.after += value.after() instanceof Number n ? n.doubleValue() : 0;
            }
        }
        return totals;
    }

    /** One KPI column's changed rows and their totals before and after. */
    private static final class ColumnTotals {
        long rows;
        boolean summable = true;
        double before;
        double after;
    }
}
