package dev.servicehealth.history;

import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.table.data.RowData;

/**
 * The iceberg-sink's topology: records of each input in, rows of each history table out. Pure
 * wiring, no I/O: the job gives it Kafka sources and gives its outputs to Iceberg writers.
 *
 * <pre>
 * raw topics ──────────► rows ─► bronze.raw_records
 * dead letters ────────► rows ─► bronze.dead_letters
 * dedup.requests ──────► rows ─► silver.requests
 * dedup.metrics ───────► rows ─► silver.metric_samples
 * dedup.status ────────► rows ─► silver.status_events
 * kpi.history ─────────► rows ─┬► gold.kpi_service
 *                              ├► gold.kpi_drilldown
 *                              └► gold.kpi_saturation
 * kpi.too-late ────────► rows ─► gold.kpi_too_late
 * </pre>
 */
public final class IcebergSinkTopology {
    private IcebergSinkTopology() {}

    public static Map<HistoryTable, DataStream<RowData>> build(
            Map<HistoryInput, DataStream<TopicRecord>> inputs,
            int metricsPort,
            String metricsBindAddress) {
        Map<HistoryTable, DataStream<RowData>> tables = new EnumMap<>(HistoryTable.class);
        for (Map.Entry<HistoryInput, DataStream<TopicRecord>> input : inputs.entrySet()) {
            RowMapper mapper = input.getKey().mapper();
            SingleOutputStreamOperator<Void> rows =
                    input.getValue()
                            .process(new HistoryRowRouter(mapper, metricsPort, metricsBindAddress))
                            .returns(Types.VOID)
                            .name("rows-of-" + input.getKey().id())
                            .uid("iceberg-sink.rows-of-" + input.getKey().id());
            for (HistoryTable table : mapper.tables()) {
                tables.put(table, rows.getSideOutput(HistoryRowRouter.output(table)));
            }
        }
        return tables;
    }
}
