package dev.servicehealth.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer refuses a table that differs from what it writes, by position: rows are written in the
 * order of the columns, so any difference would misalign them.
 */
class HistoryCatalogTest {
    @TempDir Path tmp;
    private Catalog catalog;

    @BeforeEach
    void createTables() {
        catalog = HistoryCatalog.inDirectory("test", tmp).open();
        HistoryCatalog.createMissing(catalog);
    }

    @AfterEach
    void close() throws Exception {
        ((AutoCloseable) catalog).close();
    }

    @Test
    void tablesJustCreatedPassTheCheck() {
        HistoryCatalog.checkTables(catalog);
    }

    @Test
    void aColumnAddedAtTheEndIsRefused() {
        catalog.loadTable(HistoryTable.RAW_RECORDS.identifier())
                .updateSchema()
                .addColumn("headers", Types.StringType.get())
                .commit();

        assertThatThrownBy(() -> HistoryCatalog.checkTables(catalog))
                .hasMessageContaining("bronze.raw_records")
                .hasMessageContaining("column headers at 8 is not written");
    }

    @Test
    void aMovedColumnIsRefused() {
        catalog.loadTable(HistoryTable.KPI_SERVICE.identifier())
                .updateSchema()
                .moveFirst("events")
                .commit();

        assertThatThrownBy(() -> HistoryCatalog.checkTables(catalog))
                .hasMessageContaining("gold.kpi_service")
                .hasMessageContaining("column 1 is events, not window_start");
    }

    @Test
    void aMissingOrRetypedColumnIsRefused() {
        catalog.loadTable(HistoryTable.DEAD_LETTERS.identifier())
                .updateSchema()
                .updateColumn("source_partition", Types.LongType.get())
                .commit();
        assertThat(
                        HistoryCatalog.differences(
                                catalog.loadTable(HistoryTable.DEAD_LETTERS.identifier()),
                                HistoryTable.DEAD_LETTERS))
                .containsExactly("source_partition is long, not int");

        catalog.loadTable(HistoryTable.STATUS_EVENTS.identifier())
                .updateSchema()
                .deleteColumn("version")
                .commit();
        assertThat(
                        HistoryCatalog.differences(
                                catalog.loadTable(HistoryTable.STATUS_EVENTS.identifier()),
                                HistoryTable.STATUS_EVENTS))
                .containsExactly(
                        "column 9 is ingest_time, not version", "no column ingest_time at 10");
    }

    @Test
    void aMissingTableIsRefused() {
        catalog.dropTable(HistoryTable.KPI_TOO_LATE.identifier());

        assertThatThrownBy(() -> HistoryCatalog.checkTables(catalog))
                .hasMessageContaining("gold.kpi_too_late does not exist");
    }
}
