package dev.servicehealth.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retention on the real JDBC catalog, time given by the test: each table loses exactly its
 * partitions older than it keeps them, whole, and a second run loses nothing.
 */
class HistoryRetentionTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:30:00Z");

    @RegisterExtension final LocalHistoryTables tables = new LocalHistoryTables();

    @Test
    void bronzeKeepsFourteenDaysHotAndNinetyColdByTheHour() {
        // 104 days before NOW is 2026-08-19T10:30: the partition of that hour is the oldest kept
        Table bronze = tables.catalog().loadTable(HistoryTable.RAW_RECORDS.identifier());
        List<Instant> expired =
                List.of(
                        Instant.parse("2026-08-18T23:00:00Z"),
                        Instant.parse("2026-08-19T09:59:59Z"));
        List<Instant> kept =
                List.of(
                        Instant.parse("2026-08-19T10:00:00Z"),
                        Instant.parse("2026-08-19T10:45:00Z"),
                        NOW.minus(15, ChronoUnit.DAYS),
                        NOW.minus(1, ChronoUnit.HOURS));
        write(bronze, HistoryTable.RAW_RECORDS, expired, kept);

        List<HistoryRetention.Dropped> dropped = HistoryRetention.apply(tables.catalog(), NOW);

        assertThat(times(bronze, HistoryTable.RAW_RECORDS))
                .containsExactlyInAnyOrderElementsOf(kept);
        assertThat(droppedFrom(dropped, HistoryTable.RAW_RECORDS))
                .isEqualTo(
                        new HistoryRetention.Dropped(
                                HistoryTable.RAW_RECORDS,
                                Instant.parse("2026-08-19T10:00:00Z"),
                                2,
                                2));
    }

    @Test
    void silverKeepsFourteenDaysAndGoldThirteenMonthsByTheDay() {
        Table silver = tables.catalog().loadTable(HistoryTable.REQUESTS.identifier());
        write(
                silver,
                HistoryTable.REQUESTS,
                List.of(NOW.minus(14, ChronoUnit.DAYS).minus(2, ChronoUnit.HOURS)),
                List.of(NOW.minus(14, ChronoUnit.DAYS).plus(1, ChronoUnit.HOURS)));
        Table gold = tables.catalog().loadTable(HistoryTable.KPI_SERVICE.identifier());
        // 396 days before NOW is 2025-10-31T10:30: that day is the oldest kept
        List<Instant> goldKept = List.of(Instant.parse("2025-10-31T00:00:00Z"), NOW);
        write(
                gold,
                HistoryTable.KPI_SERVICE,
                List.of(Instant.parse("2025-10-30T23:59:00Z")),
                goldKept);

        HistoryRetention.apply(tables.catalog(), NOW);

        assertThat(times(silver, HistoryTable.REQUESTS))
                .containsExactly(NOW.minus(14, ChronoUnit.DAYS).plus(1, ChronoUnit.HOURS));
        assertThat(times(gold, HistoryTable.KPI_SERVICE))
                .containsExactlyInAnyOrderElementsOf(goldKept);
    }

    @Test
    void aSecondRunDropsNothing() {
        Table bronze = tables.catalog().loadTable(HistoryTable.DEAD_LETTERS.identifier());
        write(
                bronze,
                HistoryTable.DEAD_LETTERS,
                List.of(NOW.minus(200, ChronoUnit.DAYS)),
                List.of(NOW.minus(2, ChronoUnit.DAYS)));
        HistoryRetention.apply(tables.catalog(), NOW);

        List<HistoryRetention.Dropped> again = HistoryRetention.apply(tables.catalog(), NOW);

        assertThat(again).allSatisfy(d -> assertThat(d.files()).as(d.table().name()).isZero());
        assertThat(times(bronze, HistoryTable.DEAD_LETTERS))
                .containsExactly(NOW.minus(2, ChronoUnit.DAYS));
    }

    private static void write(
            Table table, HistoryTable history, List<Instant> expired, List<Instant> kept) {
        long id = 0;
        for (Instant time : expired) {
            HistoryRows.append(table, HistoryRows.at(table, history, time, id++));
        }
        for (Instant time : kept) {
            HistoryRows.append(table, HistoryRows.at(table, history, time, id++));
        }
    }

    private static List<Instant> times(Table table, HistoryTable history) {
        return HistoryRows.read(table).stream()
                .map(r -> ((OffsetDateTime) r.getField(history.timeColumn())).toInstant())
                .toList();
    }

    private static HistoryRetention.Dropped droppedFrom(
            List<HistoryRetention.Dropped> dropped, HistoryTable table) {
        return dropped.stream().filter(d -> d.table() == table).findFirst().orElseThrow();
    }
}
