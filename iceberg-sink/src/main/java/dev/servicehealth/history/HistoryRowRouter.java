package dev.servicehealth.history;

import dev.servicehealth.runtime.PipelineMeterRegistry;
import dev.servicehealth.runtime.ThrottledLog;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the records of one input into rows, each to the side output of its table. A record that
 * makes no row is counted per topic and logged with its coordinates and the reason, and the job
 * goes on: its bytes stay in Kafka for the topic's retention, and every raw record is in bronze
 * whatever its bytes.
 */
final class HistoryRowRouter extends ProcessFunction<TopicRecord, Void> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(HistoryRowRouter.class);

    private final RowMapper mapper;
    private final int metricsPort;
    private final String metricsBindAddress;
    private transient Map<HistoryTable, OutputTag<RowData>> outputs;
    private transient HistoryWriterMetrics metrics;
    private transient ThrottledLog<String> unreadableLog;

    HistoryRowRouter(RowMapper mapper, int metricsPort, String metricsBindAddress) {
        this.mapper = mapper;
        this.metricsPort = metricsPort;
        this.metricsBindAddress = metricsBindAddress;
    }

    /** The side output of {@code table}'s rows. */
    static OutputTag<RowData> output(HistoryTable table) {
        return new OutputTag<>(table.identifier().toString(), HistoryRowTypes.of(table));
    }

    @Override
    public void open(OpenContext context) {
        outputs = new EnumMap<>(HistoryTable.class);
        unreadableLog = new ThrottledLog<>(ThrottledLog.DEFAULT_INTERVAL_MS);
        for (HistoryTable table : mapper.tables()) {
            outputs.put(table, output(table));
        }
        metrics =
                new HistoryWriterMetrics(
                        PipelineMeterRegistry.forJob(
                                "iceberg-sink", metricsPort, metricsBindAddress),
                        mapper.tables());
    }

    @Override
    public void processElement(TopicRecord record, Context ctx, Collector<Void> out) {
        metrics.read(record);
        TableRow row;
        try {
            row = mapper.map(record, metrics);
        } catch (UnreadableRecordException e) {
            metrics.unreadable(record.topic());
            logUnreadable(record, e);
            return;
        }
        OutputTag<RowData> output = outputs.get(row.table());
        if (output == null) {
            throw new IllegalStateException(
                    mapper + " made a row of " + row.table() + ", not one of its tables");
        }
        ctx.output(output, row.row());
        metrics.rowOut(row.table());
    }

    /**
     * The first unreadable record of a topic at once, then one line per topic every 10 s with how
     * many were not logged: a whole topic in a format the sink does not know must not flood the
     * log.
     */
    private void logUnreadable(TopicRecord record, UnreadableRecordException e) {
        long skipped = unreadableLog.admit(record.topic(), System.currentTimeMillis());
        if (skipped >= 0) {
            LOG.warn(
                    "record {} makes no history row: {} ({} more of {} since the last line)",
                    record.coordinates(),
                    e.getMessage(),
                    skipped,
                    record.topic());
        }
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
        }
    }
}
