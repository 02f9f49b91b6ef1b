package dev.servicehealth.runtime;

import dev.servicehealth.model.catalog.PipelineMetric;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;

/**
 * A Flink metric reporter that puts the few Flink metrics an on-call engineer needs next to the
 * jobs' own Micrometer meters, on the same scrape endpoint: checkpoint duration and size (job
 * manager) and RocksDB state size and keys (task managers, when the job enables RocksDB's native
 * metrics), and the commits of the Iceberg writers (duration, files, bytes and rows committed, time
 * since the last commit, per table). Every other Flink metric is left to Flink's own reporters.
 *
 * <p>Configured per cluster, not per job: {@code metrics.reporter.pipeline.factory.class:
 * dev.servicehealth.runtime.FlinkMetricsBridgeFactory}, with {@code port} and {@code bind-address}
 * for the scrape endpoint of that process (docs/metrics.md).
 */
public final class FlinkMetricsBridge implements MetricReporter {
    /** Flink metric name (suffix) to the pipeline meter it becomes. */
    private static final Map<String, PipelineMetric> BRIDGED =
            Map.ofEntries(
                    Map.entry("lastCheckpointDuration", PipelineMetric.FLINK_CHECKPOINT_DURATION),
                    Map.entry("lastCheckpointSize", PipelineMetric.FLINK_CHECKPOINT_SIZE),
                    Map.entry(
                            "numberOfCompletedCheckpoints",
                            PipelineMetric.FLINK_CHECKPOINTS_COMPLETED),
                    Map.entry("lastCheckpointFullSize", PipelineMetric.FLINK_CHECKPOINT_FULL_SIZE),
                    Map.entry("estimate-live-data-size", PipelineMetric.FLINK_STATE_LIVE_DATA_SIZE),
                    Map.entry("total-sst-files-size", PipelineMetric.FLINK_STATE_SST_FILES_SIZE),
                    Map.entry("cur-size-all-mem-tables", PipelineMetric.FLINK_STATE_MEMTABLES_SIZE),
                    Map.entry("estimate-num-keys", PipelineMetric.FLINK_STATE_KEYS),
                    Map.entry("lastCommitDurationMs", PipelineMetric.HISTORY_COMMIT_DURATION),
                    Map.entry(
                            "committedDataFilesCount", PipelineMetric.HISTORY_COMMITTED_DATA_FILES),
                    Map.entry(
                            "committedDataFilesByteCount", PipelineMetric.HISTORY_COMMITTED_BYTES),
                    Map.entry(
                            "committedDataFilesRecordCount",
                            PipelineMetric.HISTORY_COMMITTED_RECORDS),
                    Map.entry(
                            "elapsedSecondsSinceLastSuccessfulCommit",
                            PipelineMetric.HISTORY_SINCE_LAST_COMMIT));

    private final Map<Metric, Meter> meters = new ConcurrentHashMap<>();
    private MeterRegistry registry;

    @Override
    public void open(MetricConfig config) {
        registry =
                PipelineMeterRegistry.forJob(
                        "flink",
                        config.getInteger("port", -1),
                        config.getString("bind-address", "127.0.0.1"));
    }

    @Override
    public void close() {
        meters.values().forEach(registry::remove);
        meters.clear();
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        PipelineMetric target = target(metricName);
        if (target == null) {
            return;
        }
        Map<String, String> variables = group.getAllVariables();
        Tags tags = Tags.empty();
        for (String tag : target.tags()) {
            tags = tags.and(tag, variables.getOrDefault(variableOf(tag), ""));
        }
        if (metric instanceof org.apache.flink.metrics.Gauge<?> gauge) {
            meters.put(
                    metric,
                    Gauge.builder(target.meterName(), gauge, FlinkMetricsBridge::value)
                            .description(target.description())
                            .tags(tags)
                            .register(registry));
        } else if (metric instanceof org.apache.flink.metrics.Counter counter) {
            meters.put(
                    metric,
                    FunctionCounter.builder(
                                    target.meterName(),
                                    counter,
                                    org.apache.flink.metrics.Counter::getCount)
                            .description(target.description())
                            .tags(tags)
                            .register(registry));
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        Meter meter = meters.remove(metric);
        if (meter != null) {
            registry.remove(meter);
        }
    }

    static PipelineMetric target(String metricName) {
        for (Map.Entry<String, PipelineMetric> entry : BRIDGED.entrySet()) {
            if (metricName.equals(entry.getKey()) || metricName.endsWith("." + entry.getKey())) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static String variableOf(String tag) {
        return switch (tag) {
            case "job" -> "<job_name>";
            case "operator" -> "<operator_name>";
            case "subtask" -> "<subtask_index>";
            case "state" -> "<column_family>";
            default -> "<" + tag + ">";
        };
    }

    private static double value(org.apache.flink.metrics.Gauge<?> gauge) {
        Object value = gauge.getValue();
        return value instanceof Number number ? number.doubleValue() : Double.NaN;
    }
}
