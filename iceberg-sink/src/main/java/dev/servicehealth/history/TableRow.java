package dev.servicehealth.history;

import java.util.List;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.types.Types;

/** A row and the table it belongs in, every required column present. */
record TableRow(HistoryTable table, RowData row) {

    /**
     * The row, checked against the table's schema: a writer handed a null in a required column
     * would fail the job, so the record is unreadable instead.
     */
    static TableRow checked(HistoryTable table, RowData row) throws UnreadableRecordException {
        List<Types.NestedField> columns = table.schema().columns();
        if (row.getArity() != columns.size()) {
            throw new IllegalStateException(
                    table.identifier() + " has " + columns.size() + " columns, row " + row);
        }
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).isRequired() && row.isNullAt(i)) {
                throw new UnreadableRecordException(
                        "required column " + columns.get(i).name() + " is empty");
            }
        }
        return new TableRow(table, row);
    }
}
