package dev.servicehealth.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./history} on a real catalog: what the tables hold, and clear errors. */
class HistoryCliTest {
    @TempDir Path tmp;

    @RegisterExtension final LocalHistoryTables tables = new LocalHistoryTables();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void showsEachTablesRowsFilesPartitionsAndNewestTime() throws Exception {
        String uri = tables.location().uri();
        String warehouse = tables.location().warehouse();
        Table bronze = tables.catalog().loadTable(HistoryTable.RAW_RECORDS.identifier());
        Instant t = Instant.parse("2026-12-01T09:15:00Z");
        HistoryRows.append(bronze, HistoryRows.at(bronze, HistoryTable.RAW_RECORDS, t, 1));
        HistoryRows.append(
                bronze, HistoryRows.at(bronze, HistoryTable.RAW_RECORDS, t.plusSeconds(3600), 2));

        assertThat(run("--catalog-uri", uri, "--warehouse", warehouse)).isZero();
        assertThat(text(out))
                .containsPattern(
                        "bronze.raw_records\\s+2\\s+2\\s+\\d+\\s+2\\s+\\S+\\s+ingest_time"
                                + " 2026-12-01T10:15:00Z")
                .containsPattern("gold.kpi_service\\s+0\\s+0\\s+0\\s+0\\s+never");

        out.reset();
        assertThat(run("--catalog-uri", uri, "--warehouse", warehouse, "bronze.raw_records"))
                .isZero();
        assertThat(text(out))
                .contains("ingest_time_hour=2026-12-01-09/source=source-1")
                .contains("ingest_time_hour=2026-12-01-10/source=source-2");
    }

    @Test
    void retainSaysWhatEachTableDropped() throws Exception {
        String uri = tables.location().uri();
        String warehouse = tables.location().warehouse();
        Table bronze = tables.catalog().loadTable(HistoryTable.RAW_RECORDS.identifier());
        HistoryRows.append(
                bronze,
                HistoryRows.at(
                        bronze,
                        HistoryTable.RAW_RECORDS,
                        Instant.parse("2026-01-01T00:00:00Z"),
                        1));

        assertThat(
                        run(
                                "--catalog-uri",
                                uri,
                                "--warehouse",
                                warehouse,
                                "retain",
                                "--now",
                                "2026-12-01T10:30:00Z"))
                .isZero();
        assertThat(text(out))
                .containsPattern(
                        "bronze.raw_records\\s+kept from 2026-08-19T10:00:00Z: dropped 1 files, 1 rows")
                .containsPattern("gold.kpi_service\\s+kept from 2025-10-31T00:00:00Z: dropped 0");
    }

    @Test
    void saysWhatIsWrong() throws Exception {
        assertThat(run("--catalog-uri", "jdbc:sqlite:" + tmp.resolve("none.db"))).isEqualTo(1);
        assertThat(text(err)).contains("no history catalog at").contains("./service-health-local");

        err.reset();
        assertThat(run("--bogus")).isEqualTo(2);
        assertThat(text(err)).contains("unknown argument --bogus").contains("usage: history");

        err.reset();
        assertThat(run("retain", "--now", "yesterday")).isEqualTo(2);
        assertThat(text(err)).contains("not an ISO-8601 instant");

        err.reset();
        assertThat(run("usage", "--day", "1 Dec")).isEqualTo(2);
        assertThat(text(err)).contains("--day 1 Dec is not a day such as 2026-12-01");
    }

    private int run(String... args) throws Exception {
        return HistoryCli.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String text(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8);
    }
}
