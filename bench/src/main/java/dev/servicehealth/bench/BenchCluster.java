package dev.servicehealth.bench;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/** The benchmarks' Flink: one task manager with one slot in this JVM, so parallelism is 1. */
final class BenchCluster {
    private BenchCluster() {}

    static MiniCluster start(Configuration conf) throws Exception {
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(1)
                                .build());
        cluster.start();
        return cluster;
    }
}
