package dev.servicehealth.runtime;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/** Creates the {@link FlinkMetricsBridge}; Flink finds it by this class name. */
public final class FlinkMetricsBridgeFactory implements MetricReporterFactory {
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return new FlinkMetricsBridge();
    }
}
