package dev.servicehealth.history;

import java.io.Serializable;
import java.util.List;

/** Turns the records of one input into rows of the tables it feeds. */
interface RowMapper extends Serializable {

    /** The tables this input's rows go to. */
    List<HistoryTable> tables();

    /**
     * The row of {@code record}, and its table.
     *
     * @throws UnreadableRecordException when the bytes do not make a row
     */
    TableRow map(TopicRecord record, UnknownColumns unknownColumns)
            throws UnreadableRecordException;

    /** Where a mapper reports fields it has no column for. */
    interface UnknownColumns {
        void seen(HistoryTable table, String field);
    }
}
