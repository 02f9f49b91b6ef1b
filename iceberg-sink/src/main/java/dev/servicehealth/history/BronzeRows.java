package dev.servicehealth.history;

import dev.servicehealth.model.DeadLetter;
import dev.servicehealth.model.EventCodec;
import java.util.List;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;

/** Bronze rows: raw records exactly as received, and the normalizer's dead letters. */
final class BronzeRows {
    private BronzeRows() {}

    /** Every raw record, whatever its bytes: bronze is where a malformed line is kept. */
    static RowMapper rawRecords() {
        return new RowMapper() {
            private static final long serialVersionUID = 1L;

            @Override
            public List<HistoryTable> tables() {
                return List.of(HistoryTable.RAW_RECORDS);
            }

            @Override
            public TableRow map(TopicRecord record, UnknownColumns unknownColumns)
                    throws UnreadableRecordException {
                return TableRow.checked(
                        HistoryTable.RAW_RECORDS,
                        GenericRowData.of(
                                StringData.fromString(record.topic()),
                                record.partition(),
                                record.offset(),
                                TimestampData.fromEpochMillis(record.timestampMs()),
                                record.key(),
                                record.value(),
                                TimestampData.fromEpochMillis(record.readAtMs())));
            }
        };
    }

    static RowMapper deadLetters() {
        return new RowMapper() {
            private static final long serialVersionUID = 1L;

            @Override
            public List<HistoryTable> tables() {
                return List.of(HistoryTable.DEAD_LETTERS);
            }

            @Override
            public TableRow map(TopicRecord record, UnknownColumns unknownColumns)
                    throws UnreadableRecordException {
                DeadLetter letter;
                try {
                    letter = EventCodec.decodeDeadLetter(record.value());
                } catch (IllegalArgumentException e) {
                    throw new UnreadableRecordException("not a dead letter: " + e.getMessage(), e);
                }
                return TableRow.checked(
                        HistoryTable.DEAD_LETTERS,
                        GenericRowData.of(
                                StringData.fromString(letter.sourceTopic()),
                                letter.sourcePartition(),
                                letter.sourceOffset(),
                                TimestampData.fromEpochMillis(letter.sourceTimestampMs()),
                                StringData.fromString(letter.reason().code()),
                                StringData.fromString(letter.detail()),
                                letter.originalKey(),
                                letter.originalValue(),
                                TimestampData.fromEpochMillis(letter.deadLetteredAtMs()),
                                record.partition(),
                                record.offset(),
                                TimestampData.fromEpochMillis(record.readAtMs())));
            }
        };
    }
}
