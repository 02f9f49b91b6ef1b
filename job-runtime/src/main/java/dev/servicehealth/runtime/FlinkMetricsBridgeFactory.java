package dev.servicehealth.runtime;

import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/** Creates the {@link FlinkMetricsBridge}; Flink finds it by this class name. */
public final class FlinkMetricsBridgeFactory implements MetricReporterFactory {
    /**
     * Installs the bridge into a cluster's configuration (a MiniCluster, a local environment), as
     * {@code metrics.reporter.pipeline.factory.class} does in a cluster's config file.
     */
    public static Configuration installInto(Configuration cluster) {
        cluster.setString(
                "metrics.reporter.pipeline.factory.class",
                FlinkMetricsBridgeFactory.class.getName());
        return cluster;
    }

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return new FlinkMetricsBridge();
    }
}
