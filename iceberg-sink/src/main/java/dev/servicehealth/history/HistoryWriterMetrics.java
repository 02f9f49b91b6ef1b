package dev.servicehealth.history;

import dev.servicehealth.model.catalog.PipelineMetric;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meters of one subtask of a history input, created in {@code open()}: rows per table, records
 * that made no row, fields without a column, and per partition read how far behind it the writer
 * is. Counters are shared by the subtasks of a JVM; the gauges are this subtask's, removed on
 * close, since a task restarted in the same JVM registers its own.
 */
final class HistoryWriterMetrics implements RowMapper.UnknownColumns {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryWriterMetrics.class);

    private final MeterRegistry registry;
    private final Map<HistoryTable, Counter> rowsOut = new EnumMap<>(HistoryTable.class);
    private final Map<HistoryTable, Counter> unknownColumns = new EnumMap<>(HistoryTable.class);
    private final Map<String, Counter> unreadable = new HashMap<>();
    private final Map<String, long[]> newestByPartition = new HashMap<>();
    private final List<Meter> gauges = new ArrayList<>();
    private final Set<String> loggedUnknownColumns = new HashSet<>();

    HistoryWriterMetrics(MeterRegistry registry, List<HistoryTable> tables) {
        this.registry = registry;
        for (HistoryTable table : tables) {
            rowsOut.put(table, tableCounter(PipelineMetric.HISTORY_ROWS_OUT, table));
            unknownColumns.put(table, tableCounter(PipelineMetric.HISTORY_UNKNOWN_COLUMNS, table));
        }
    }

    void read(TopicRecord record) {
        String partition = record.topic() + "-" + record.partition();
        long[] newest = newestByPartition.get(partition);
        if (newest == null) {
            newest = new long[] {record.timestampMs()};
            newestByPartition.put(partition, newest);
            gauges.add(
                    Gauge.builder(
                                    PipelineMetric.HISTORY_READ_LAG.meterName(),
                                    newest,
                                    n -> System.currentTimeMillis() - n[0])
                            .description(PipelineMetric.HISTORY_READ_LAG.description())
                            .tag("topic", record.topic())
                            .tag("partition", Integer.toString(record.partition()))
                            .register(registry));
        }
        newest[0] = Math.max(newest[0], record.timestampMs());
    }

    void rowOut(HistoryTable table) {
        rowsOut.get(table).increment();
    }

    void unreadable(String topic) {
        unreadable.computeIfAbsent(topic, this::unreadableCounter).increment();
    }

    private Counter unreadableCounter(String topic) {
        return Counter.builder(PipelineMetric.HISTORY_UNREADABLE_RECORDS.meterName())
                .description(PipelineMetric.HISTORY_UNREADABLE_RECORDS.description())
                .tag("topic", topic)
                .register(registry);
    }

    /** Counts each field without a column, and logs each new one once per subtask. */
    @Override
    public void seen(HistoryTable table, String field) {
        unknownColumns.get(table).increment();
        if (loggedUnknownColumns.add(table.identifier() + "." + field)) {
            LOG.warn(
                    "{} has no column for field '{}' of the rows it is given: its values are not"
                            + " kept until the table has the column (docs/runbooks.md)",
                    table.identifier(),
                    field);
        }
    }

    void close() {
        gauges.forEach(registry::remove);
        gauges.clear();
    }

    private Counter tableCounter(PipelineMetric metric, HistoryTable table) {
        return Counter.builder(metric.meterName())
                .description(metric.description())
                .tag("table", table.identifier().toString())
                .register(registry);
    }
}
