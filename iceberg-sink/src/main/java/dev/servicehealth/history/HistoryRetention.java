package dev.servicehealth.history;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.expressions.Expressions;

/**
 * Drops the partitions of each history table that are older than the table keeps them ({@link
 * HistoryTable#keptFor()}): bronze 104 days (14 hot, 90 cold), silver 14 days, gold 13 months. The
 * cut-off is rounded down to a partition boundary, so whole partitions go and no row of a partition
 * still kept is touched; the files leave the table at once and the storage when snapshot expiry
 * removes the last snapshot that referenced them. Run daily (Airflow, or {@code ./history retain});
 * running it twice removes nothing more.
 */
public final class HistoryRetention {
    /** What one table lost. */
    public record Dropped(HistoryTable table, Instant before, long files, long rows) {}

    private HistoryRetention() {}

    public static List<Dropped> apply(Catalog catalog, Instant now) {
        List<Dropped> dropped = new ArrayList<>();
        for (HistoryTable table : HistoryTable.values()) {
            if (catalog.tableExists(table.identifier())) {
                dropped.add(apply(catalog.loadTable(table.identifier()), table, now));
            }
        }
        return dropped;
    }

    static Dropped apply(Table iceberg, HistoryTable table, Instant now) {
        Instant before = cutOff(table, now);
        Snapshot previous = iceberg.currentSnapshot();
        iceberg.newDelete()
                .deleteFromRowFilter(
                        Expressions.lessThan(
                                table.timeColumn(),
                                ChronoUnit.MICROS.between(Instant.EPOCH, before)))
                .commit();
        Snapshot current = iceberg.currentSnapshot();
        if (current == null || previous != null && current.snapshotId() == previous.snapshotId()) {
            return new Dropped(table, before, 0, 0);
        }
        return new Dropped(
                table,
                before,
                Long.parseLong(current.summary().getOrDefault("deleted-data-files", "0")),
                Long.parseLong(current.summary().getOrDefault("deleted-records", "0")));
    }

    /** The start of the oldest partition kept: now less the retention, to the partition's unit. */
    static Instant cutOff(HistoryTable table, Instant now) {
        Instant oldestKept = now.minus(table.keptFor());
        return oldestKept.truncatedTo(
                table.zone() == HistoryTable.Zone.GOLD ? ChronoUnit.DAYS : ChronoUnit.HOURS);
    }
}
