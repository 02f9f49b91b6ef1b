package dev.servicehealth.history;

import java.io.IOException;
import java.time.Duration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.flink.maintenance.api.DeleteOrphanFiles;
import org.apache.iceberg.flink.maintenance.api.ExpireSnapshots;
import org.apache.iceberg.flink.maintenance.api.RewriteDataFiles;
import org.apache.iceberg.flink.maintenance.api.TableMaintenance;

/**
 * Iceberg's own table maintenance for every history table, in the sink job while its writers commit
 * (decision 0010): small files compacted once enough have been committed, old snapshots expired
 * (and the files only they referenced deleted), files no snapshot references removed once old
 * enough that no writer can still be about to commit them. A table's tasks run one at a time; a
 * compaction that loses a race with a writer's commit is retried at its next trigger, and the
 * writer's commit is never the one that fails.
 *
 * <p>Compaction reads only {@link Settings#compactRecent} of each table's time column: older
 * partitions are compact already, and bronze's files older than its hot period have moved to the
 * cold storage class, which a rewrite would undo.
 */
final class HistoryMaintenance {
    /**
     * @param compactAtFiles new data files that trigger a compaction of a table
     * @param compactRecent how far back, by the table's time column, compaction looks
     * @param snapshotsRetained snapshots kept whatever their age
     * @param snapshotMaxAge age beyond which other snapshots expire
     * @param orphanMinAge age a file no snapshot references must reach before it is deleted: longer
     *     than any commit can take
     * @param orphanInterval how often orphan files are looked for
     * @param rateLimit the least time between two runs of a table's maintenance
     */
    record Settings(
            int compactAtFiles,
            Duration compactRecent,
            int snapshotsRetained,
            Duration snapshotMaxAge,
            Duration orphanMinAge,
            Duration orphanInterval,
            Duration rateLimit) {}

    private HistoryMaintenance() {}

    static void schedule(StreamExecutionEnvironment env, HistoryCatalog catalog, Settings settings)
            throws IOException {
        for (HistoryTable table : HistoryTable.values()) {
            String timeColumn = table.timeColumn();
            long recentMs = settings.compactRecent().toMillis();
            TableMaintenance.forTable(env, catalog.tableLoader(table))
                    // fixed, so that a savepoint restores into the same operators
                    .uidSuffix("iceberg-sink.maintenance." + table.identifier())
                    .rateLimit(settings.rateLimit())
                    .parallelism(1)
                    .add(
                            RewriteDataFiles.builder()
                                    .scheduleOnDataFileCount(settings.compactAtFiles())
                                    .targetFileSizeBytes(HistoryCatalog.TARGET_FILE_BYTES)
                                    .filter(
                                            () ->
                                                    Expressions.greaterThanOrEqual(
                                                            timeColumn,
                                                            (System.currentTimeMillis() - recentMs)
                                                                    * 1000)))
                    .add(
                            ExpireSnapshots.builder()
                                    .scheduleOnCommitCount(settings.snapshotsRetained())
                                    .retainLast(settings.snapshotsRetained())
                                    .maxSnapshotAge(settings.snapshotMaxAge()))
                    .add(
                            DeleteOrphanFiles.builder()
                                    .scheduleOnInterval(settings.orphanInterval())
                                    .minAge(settings.orphanMinAge()))
                    .append();
        }
    }
}
