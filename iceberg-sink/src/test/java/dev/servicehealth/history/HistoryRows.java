package dev.servicehealth.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.types.Types;

/** Rows written straight into a history table, each in its own file, for the upkeep tests. */
public final class HistoryRows {
    private HistoryRows() {}

    /** A row of {@code table} at {@code time} (its time column): every other column a filler. */
    public static Record at(Table table, HistoryTable history, Instant time, long id) {
        GenericRecord record = GenericRecord.create(table.schema());
        for (Types.NestedField column : table.schema().columns()) {
            Object value =
                    switch (column.type().typeId()) {
                        case STRING -> column.name() + "-" + id;
                        case INTEGER -> (int) id;
                        case LONG -> id;
                        case DOUBLE -> (double) id;
                        case BINARY -> ByteBuffer.wrap(new byte[] {1});
                        case TIMESTAMP -> OffsetDateTime.ofInstant(time, ZoneOffset.UTC);
                        case MAP -> Map.of();
                        default -> throw new IllegalStateException(column.toString());
                    };
            record.setField(column.name(), value);
        }
        record.setField(history.timeColumn(), OffsetDateTime.ofInstant(time, ZoneOffset.UTC));
        return record;
    }

    /** Appends {@code record} as one data file in its partition, in one commit. */
    public static void append(Table table, Record record) {
        append(table, List.of(record));
    }

    /** Appends {@code records}, all of one partition, as one data file in one commit. */
    public static void append(Table table, List<Record> records) {
        PartitionKey key = new PartitionKey(table.spec(), table.schema());
        key.partition(new InternalRecordWrapper(table.schema().asStruct()).wrap(records.get(0)));
        String path =
                table.locationProvider()
                        .newDataLocation(table.spec(), key, UUID.randomUUID() + ".parquet");
        DataWriter<Record> writer =
                new GenericAppenderFactory(table.schema(), table.spec())
                        .newDataWriter(
                                EncryptedFiles.plainAsEncryptedOutput(
                                        table.io().newOutputFile(path)),
                                FileFormat.PARQUET,
                                key);
        try (writer) {
            for (Record record : records) {
                writer.write(record);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        table.newAppend().appendFile(writer.toDataFile()).commit();
    }

    /** Waits until the table's committed rows reach {@code expected}; fails after two minutes. */
    public static void awaitCommitted(Catalog tables, HistoryTable table, long expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        long committed = 0;
        while (System.nanoTime() < deadline) {
            committed = committedRows(tables.loadTable(table.identifier()));
            if (committed >= expected) {
                return;
            }
            Thread.sleep(500);
        }
        assertThat(committed).as("rows committed to %s", table.identifier()).isEqualTo(expected);
    }

    /** Rows of the table's current snapshot, from its summary: no file is read. */
    public static long committedRows(Table table) {
        table.refresh();
        Snapshot snapshot = table.currentSnapshot();
        return snapshot == null
                ? 0
                : Long.parseLong(snapshot.summary().getOrDefault("total-records", "0"));
    }

    public static List<Record> read(Table table) {
        table.refresh();
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            records.forEach(rows::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }
}
