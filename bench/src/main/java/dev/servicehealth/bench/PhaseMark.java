package dev.servicehealth.bench;

import dev.servicehealth.model.catalog.PipelineMetric;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import java.lang.management.ManagementFactory;

/**
 * The process CPU time and wall clock when the measured phase of a benchmark job began: taken in
 * the source (same JVM as the MiniCluster) when it generates the first measured record, after the
 * state has been filled to the key count under test.
 */
final class PhaseMark {
    private static volatile long cpuNanos = -1;
    private static volatile long wallNanos = -1;
    private static volatile double stateBytes = Double.NaN;
    private static volatile double stateKeys = Double.NaN;

    private PhaseMark() {}

    static void reset() {
        cpuNanos = -1;
        wallNanos = -1;
        stateBytes = Double.NaN;
        stateKeys = Double.NaN;
    }

    /**
     * Reads the state's size from the job's own gauges (RocksDB SST files plus memtables, and its
     * key estimate, via the Flink metrics bridge) while the job still runs: taken at the last
     * record generated. Flink refreshes these gauges together every 5 s, so bytes and keys are from
     * the same moment even if that moment is a few seconds old.
     */
    static void sampleState() {
        stateBytes =
                gaugeSum(PipelineMetric.FLINK_STATE_SST_FILES_SIZE)
                        + gaugeSum(PipelineMetric.FLINK_STATE_MEMTABLES_SIZE);
        stateKeys = gaugeSum(PipelineMetric.FLINK_STATE_KEYS);
    }

    static double stateBytes() {
        return stateBytes;
    }

    static double stateKeys() {
        return stateKeys;
    }

    private static double gaugeSum(PipelineMetric metric) {
        return Metrics.globalRegistry.find(metric.meterName()).gauges().stream()
                .mapToDouble(Gauge::value)
                .sum();
    }

    static void mark() {
        wallNanos = System.nanoTime();
        cpuNanos = processCpuNanos();
    }

    /** CPU time of every thread of this process so far. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static long cpuNanos() {
        return cpuNanos;
    }

    static long wallNanos() {
        return wallNanos;
    }
}
