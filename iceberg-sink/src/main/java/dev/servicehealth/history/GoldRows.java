package dev.servicehealth.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servicehealth.model.catalog.Grain;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.iceberg.types.Types;

/**
 * Gold rows from the aggregator's JSON: each column of the table from the field of its name, times
 * from epoch milliseconds, sketches from hex. The final rows of every grain share one topic and go
 * to their grain's table.
 */
final class GoldRows {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    private GoldRows() {}

    static RowMapper finalKpiRows() {
        return new RowMapper() {
            private static final long serialVersionUID = 1L;

            @Override
            public List<HistoryTable> tables() {
                return Arrays.stream(Grain.values()).map(HistoryTable::finalRowsOf).toList();
            }

            @Override
            public TableRow map(TopicRecord record, UnknownColumns unknownColumns)
                    throws UnreadableRecordException {
                JsonNode json = parse(record);
                HistoryTable table = tableOf(json.path("grain").asText(""));
                return row(table, json, Set.of("grain"), unknownColumns);
            }
        };
    }

    static RowMapper tooLateCounts() {
        return new RowMapper() {
            private static final long serialVersionUID = 1L;

            @Override
            public List<HistoryTable> tables() {
                return List.of(HistoryTable.KPI_TOO_LATE);
            }

            @Override
            public TableRow map(TopicRecord record, UnknownColumns unknownColumns)
                    throws UnreadableRecordException {
                return row(HistoryTable.KPI_TOO_LATE, parse(record), Set.of(), unknownColumns);
            }
        };
    }

    private static HistoryTable tableOf(String grain) throws UnreadableRecordException {
        try {
            return HistoryTable.finalRowsOf(Grain.valueOf(grain.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new UnreadableRecordException("no gold table for grain '" + grain + "'");
        }
    }

    private static JsonNode parse(TopicRecord record) throws UnreadableRecordException {
        try {
            JsonNode json = JSON.readTree(record.value());
            if (json == null || !json.isObject()) {
                throw new UnreadableRecordException("not a JSON object");
            }
            return json;
        } catch (IOException e) {
            throw new UnreadableRecordException("not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * @param impliedByTable fields the table itself stands for, such as the grain of a KPI row
     */
    private static TableRow row(
            HistoryTable table,
            JsonNode json,
            Set<String> impliedByTable,
            RowMapper.UnknownColumns unknownColumns)
            throws UnreadableRecordException {
        List<Types.NestedField> columns = table.schema().columns();
        GenericRowData row = new GenericRowData(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            Types.NestedField column = columns.get(i);
            JsonNode value = json.get(column.name());
            row.setField(i, value == null || value.isNull() ? null : value(column, value));
        }
        for (Iterator<String> fields = json.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (table.schema().findField(field) == null && !impliedByTable.contains(field)) {
                unknownColumns.seen(table, field);
            }
        }
        return TableRow.checked(table, row);
    }

    private static Object value(Types.NestedField column, JsonNode value)
            throws UnreadableRecordException {
        switch (column.type().typeId()) {
            case STRING:
                if (!value.isTextual()) {
                    throw mistyped(column, value);
                }
                return StringData.fromString(value.asText());
            case INTEGER:
                if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                    throw mistyped(column, value);
                }
                return value.asInt();
            case LONG:
                if (!value.isIntegralNumber()) {
                    throw mistyped(column, value);
                }
                return value.asLong();
            case DOUBLE:
                if (!value.isNumber()) {
                    throw mistyped(column, value);
                }
                return value.asDouble();
            case TIMESTAMP:
                if (!value.isIntegralNumber()) {
                    throw mistyped(column, value);
                }
                return TimestampData.fromEpochMillis(value.asLong());
            case BINARY:
                if (!value.isTextual()) {
                    throw mistyped(column, value);
                }
                try {
                    return HEX.parseHex(value.asText());
                } catch (IllegalArgumentException e) {
                    throw mistyped(column, value);
                }
            default:
                throw new IllegalStateException(column + " has no JSON reading");
        }
    }

    private static UnreadableRecordException mistyped(Types.NestedField column, JsonNode value) {
        return new UnreadableRecordException(
                column.name() + " is " + value.getNodeType() + ", the table has " + column.type());
    }
}
