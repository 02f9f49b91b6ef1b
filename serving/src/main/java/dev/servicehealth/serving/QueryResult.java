package dev.servicehealth.serving;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A query's answer as the broker gave it.
 *
 * @param rows values in column order, as JSON values (numbers, strings, null)
 * @param timeUsedMs the broker's own measure of the query time
 * @param docsScanned rows Pinot read to answer
 */
public record QueryResult(
        List<String> columns, List<List<JsonNode>> rows, long timeUsedMs, long docsScanned) {

    /** The value of {@code column} in row {@code row}. */
    public JsonNode value(int row, String column) {
        int index = columns.indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException("no column " + column + " in " + columns);
        }
        return rows.get(row).get(index);
    }
}
