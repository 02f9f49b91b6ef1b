package dev.servicehealth.history;

import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.flink.FlinkSchemaUtil;

/** Flink's type of a table's rows, so rows cross operators with Flink's own row serializer. */
public final class HistoryRowTypes {
    private HistoryRowTypes() {}

    public static InternalTypeInfo<RowData> of(HistoryTable table) {
        RowType type = FlinkSchemaUtil.convert(table.schema());
        return InternalTypeInfo.of(type);
    }
}
