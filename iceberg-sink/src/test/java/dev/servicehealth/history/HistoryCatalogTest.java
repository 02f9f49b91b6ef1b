package dev.servicehealth.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The writer refuses a table that differs from what it writes, by position: rows are written in the
 * order of the columns, so any difference would misalign them.
 */
class HistoryCatalogTest {
    @RegisterExtension final LocalHistoryTables tables = new LocalHistoryTables();

    @Test
    void tablesJustCreatedPassTheCheck() {
        HistoryCatalog.checkTables(tables.catalog());
    }

    @Test
    void aColumnAddedAtTheEndIsRefused() {
        tables.catalog()
                .loadTable(HistoryTable.RAW_RECORDS.identifier())
                .updateSchema()
                .addColumn("headers", Types.StringType.get())
                .commit();

        assertThatThrownBy(() -> HistoryCatalog.checkTables(tables.catalog()))
                .hasMessageContaining("bronze.raw_records")
                .hasMessageContaining("column headers at 8 is not written");
    }

    @Test
    void aMovedColumnIsRefused() {
        tables.catalog()
                .loadTable(HistoryTable.KPI_SERVICE.identifier())
                .updateSchema()
                .moveFirst("events")
                .commit();

        assertThatThrownBy(() -> HistoryCatalog.checkTables(tables.catalog()))
                .hasMessageContaining("gold.kpi_service")
                .hasMessageContaining("column 1 is events, not window_start");
    }

    @Test
    void aMissingOrRetypedColumnIsRefused() {
        tables.catalog()
                .loadTable(HistoryTable.DEAD_LETTERS.identifier())
                .updateSchema()
                .updateColumn("source_partition", Types.LongType.get())
                .commit();
        assertThat(
                        HistoryCatalog.differences(
                                tables.catalog().loadTable(HistoryTable.DEAD_LETTERS.identifier()),
                                HistoryTable.DEAD_LETTERS))
                .containsExactly("source_partition is long, not int");

        tables.catalog()
                .loadTable(HistoryTable.STATUS_EVENTS.identifier())
                .updateSchema()
                .deleteColumn("version")
                .commit();
        assertThat(
                        HistoryCatalog.differences(
                                tables.catalog().loadTable(HistoryTable.STATUS_EVENTS.identifier()),
                                HistoryTable.STATUS_EVENTS))
                .containsExactly(
                        "column 9 is ingest_time, not version", "no column ingest_time at 10");
    }

    @Test
    void aMissingTableIsRefused() {
        tables.catalog().dropTable(HistoryTable.KPI_TOO_LATE.identifier());

        assertThatThrownBy(() -> HistoryCatalog.checkTables(tables.catalog()))
                .hasMessageContaining("gold.kpi_too_late does not exist");
    }
}
