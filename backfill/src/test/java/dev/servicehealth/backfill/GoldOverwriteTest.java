package dev.servicehealth.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servicehealth.backfill.GoldDiff.Change;
import dev.servicehealth.backfill.GoldDiff.TableDiff;
import dev.servicehealth.history.HistoryRows;
import dev.servicehealth.history.HistoryTable;
import dev.servicehealth.history.LocalHistoryTables;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.ValidationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The diff and the copy-on-write overwrite on real Iceberg tables: a file that straddles the range
 * keeps its rows outside it, a commit in the range after the diff's snapshot fails the overwrite,
 * one outside it does not, and what counts as a change.
 */
class GoldOverwriteTest {
    private static final Instant T0958 = Instant.parse("2026-11-30T09:58:00Z");
    private static final Instant T1000 = Instant.parse("2026-11-30T10:00:00Z");
    private static final Instant T1001 = Instant.parse("2026-11-30T10:01:00Z");
    private static final Instant T1002 = Instant.parse("2026-11-30T10:02:00Z");
    private static final Instant T1010 = Instant.parse("2026-11-30T10:10:00Z");
    private static final BackfillRange RANGE =
            new BackfillRange(T1000, Instant.parse("2026-11-30T10:05:00Z"));
    private static final HistoryTable SERVICE = HistoryTable.KPI_SERVICE;

    @RegisterExtension final LocalHistoryTables tables = new LocalHistoryTables();

    private Table gold;
    private Table staged;

    @BeforeEach
    void stage() {
        gold = tables.catalog().loadTable(SERVICE.identifier());
        StagedTables stagedTables = new StagedTables("bf_test");
        stagedTables.create(tables.catalog(), List.of(SERVICE));
        staged = tables.catalog().loadTable(stagedTables.rowsOf(SERVICE));
    }

    @Test
    void replacesTheRangeAndKeepsTheRowsOutsideItOfAFileThatStraddlesIt() {
        HistoryRows.append(
                gold,
                List.of(row(gold, T0958, 1, 0), row(gold, T1000, 2, 0), row(gold, T1002, 3, 0)));
        HistoryRows.append(staged, List.of(row(staged, T1000, 20, 1)));
        long read = gold.currentSnapshot().snapshotId();

        TableDiff diff = GoldDiff.of(SERVICE, gold, read, staged, RANGE);
        assertThat(diff.count(Change.CHANGED)).isEqualTo(1);
        assertThat(diff.count(Change.REMOVED)).as("10:02 is not in the staged rows").isEqualTo(1);
        assertThat(diff.changes())
                .filteredOn(c -> c.change() == Change.CHANGED)
                .singleElement()
                .satisfies(c -> assertThat(c.key()).contains("window_start=2026-11-30T10:00:00Z"));

        GoldOverwrite.Outcome outcome = overwrite(read, "a test");

        assertThat(outcome.filesRewritten()).isEqualTo(1);
        assertThat(outcome.rowsKept()).isEqualTo(1);
        assertThat(requests(gold))
                .as("09:58 kept from the rewritten file, 10:00 replaced, 10:02 removed")
                .containsExactlyInAnyOrderEntriesOf(Map.of(T0958, 1L, T1000, 20L));
        assertThat(gold.currentSnapshot().summary())
                .containsEntry("backfill.id", "bf_test")
                .containsEntry("backfill.generation", "1")
                .containsEntry("backfill.reason", "a test");
    }

    @Test
    void removesAFileWhollyInTheRangeWithoutReadingIt() {
        HistoryRows.append(gold, List.of(row(gold, T1000, 2, 0), row(gold, T1001, 3, 0)));
        HistoryRows.append(gold, List.of(row(gold, T1010, 7, 0)));
        HistoryRows.append(staged, List.of(row(staged, T1000, 20, 1)));
        long read = gold.currentSnapshot().snapshotId();

        GoldOverwrite.Outcome outcome = overwrite(read, "x");

        assertThat(outcome.filesRemoved()).isEqualTo(1);
        assertThat(outcome.filesRewritten()).isZero();
        assertThat(requests(gold))
                .containsExactlyInAnyOrderEntriesOf(Map.of(T1000, 20L, T1010, 7L));
    }

    @Test
    void aCommitOfTheRangeAfterTheDiffReadFailsTheOverwriteAndChangesNothing() {
        HistoryRows.append(gold, List.of(row(gold, T1000, 2, 0)));
        HistoryRows.append(staged, List.of(row(staged, T1000, 20, 1)));
        long read = gold.currentSnapshot().snapshotId();
        HistoryRows.append(gold, List.of(row(gold, T1001, 5, 0)));
        gold.refresh();
        long before = gold.currentSnapshot().snapshotId();

        assertThatThrownBy(() -> overwrite(read, "a test")).isInstanceOf(ValidationException.class);
        gold.refresh();
        assertThat(gold.currentSnapshot().snapshotId()).isEqualTo(before);
        assertThat(requests(gold)).containsExactlyInAnyOrderEntriesOf(Map.of(T1000, 2L, T1001, 5L));
    }

    @Test
    void aCommitOutsideTheRangeAfterTheDiffReadDoesNotConflict() {
        HistoryRows.append(gold, List.of(row(gold, T1000, 2, 0)));
        HistoryRows.append(staged, List.of(row(staged, T1000, 20, 1)));
        long read = gold.currentSnapshot().snapshotId();
        HistoryRows.append(gold, List.of(row(gold, T1010, 7, 0)));
        gold.refresh();

        overwrite(read, "x");

        assertThat(requests(gold))
                .containsExactlyInAnyOrderEntriesOf(Map.of(T1000, 20L, T1010, 7L));
    }

    @Test
    void theGenerationAloneRestampsAndPercentilesWithinTheSketchNoiseAreTheSame() {
        Record old = row(gold, T1000, 2, 0);
        old.setField("latency_p99", 100.0);
        Record near = row(staged, T1000, 2, 1);
        near.setField("latency_p99", 101.0);
        HistoryRows.append(gold, List.of(old));
        HistoryRows.append(staged, List.of(near));

        TableDiff diff =
                GoldDiff.of(SERVICE, gold, gold.currentSnapshot().snapshotId(), staged, RANGE);

        assertThat(diff.changes()).isEmpty();
        assertThat(diff.restamped()).isEqualTo(1);
        assertThat(diff.changesAnything()).isTrue();

        near.setField("latency_p99", 110.0);
        Table other = restage(near);
        TableDiff changed =
                GoldDiff.of(SERVICE, gold, gold.currentSnapshot().snapshotId(), other, RANGE);
        assertThat(changed.changes())
                .singleElement()
                .satisfies(
                        c ->
                                assertThat(c.values())
                                        .extracting(v -> v.column())
                                        .containsExactly("latency_p99"));
    }

    @Test
    void theReportSaysNoChangeWhenTheStagedRowsAreGoldsAndListsTheLargestFirst() {
        HistoryRows.append(gold, List.of(row(gold, T1000, 2, 1), row(gold, T1001, 3, 1)));
        HistoryRows.append(staged, List.of(row(staged, T1000, 2, 1), row(staged, T1001, 3, 1)));
        long read = gold.currentSnapshot().snapshotId();

        DiffReport same =
                new DiffReport(List.of(GoldDiff.of(SERVICE, gold, read, staged, RANGE)), 10);
        assertThat(same.empty()).isTrue();
        assertThat(same.text()).startsWith("no change");

        Table other = restage(row(staged, T1000, 200, 1), row(staged, T1001, 4, 1));
        DiffReport changed =
                new DiffReport(List.of(GoldDiff.of(SERVICE, gold, read, other, RANGE)), 10);
        assertThat(changed.empty()).isFalse();
        assertThat(changed.tables().get(0).changes().get(0).key()).contains("10:00:00Z");
        assertThat(changed.text()).contains("requests: 2 -> 200");
        assertThat(changed.json()).contains("\"changed\" : 2");
    }

    private Table restage(Record... rows) {
        StagedTables again = new StagedTables("bf_test_" + System.nanoTime());
        again.create(tables.catalog(), List.of(SERVICE));
        Table table = tables.catalog().loadTable(again.rowsOf(SERVICE));
        HistoryRows.append(table, List.of(rows));
        return table;
    }

    /** A service row of the same dimensions at {@code window}, {@code requests} requests. */
    private static Record row(Table table, Instant window, long requests, int generation) {
        Record row = HistoryRows.at(table, SERVICE, window, 1);
        row.setField("requests", requests);
        row.setField("generation", generation);
        return row;
    }

    private static Map<Instant, Long> requests(Table table) {
        table.refresh();
        Map<Instant, Long> requests = new java.util.HashMap<>();
        for (Record row : HistoryRows.read(table)) {
            requests.put(
                    Instant.ofEpochMilli(GoldDiff.millis(row.getField("window_start"))),
                    (Long) row.getField("requests"));
        }
        return requests;
    }

    /** Backfill bf_test, generation 1, over the test's range as read at snapshot {@code read}. */
    private GoldOverwrite.Outcome overwrite(long read, String reason) {
        return GoldOverwrite.apply(
                gold,
                read,
                staged,
                RANGE,
                "bf_test",
                GoldOverwrite.summary("bf_test", 1, reason, RANGE));
    }
}
