package dev.servicehealth.bench;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/** The benchmarks' Flink: one task manager in this JVM, with one slot unless a bench asks more. */
final class BenchCluster {
    private BenchCluster() {}

    static MiniCluster start(Configuration conf) throws Exception {
        return start(conf, 1);
    }

    static MiniCluster start(Configuration conf, int slots) throws Exception {
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(slots)
                                .build());
        cluster.start();
        return cluster;
    }
}
