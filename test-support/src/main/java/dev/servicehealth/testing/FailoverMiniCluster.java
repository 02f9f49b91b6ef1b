package dev.servicehealth.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The MiniCluster of the failure tests: every job's subtasks spread over all task managers, so
 * killing one task manager hits every job running on it.
 */
public final class FailoverMiniCluster {
    private FailoverMiniCluster() {}

    /**
     * @param extra more cluster configuration (a metric reporter, say); may be empty
     */
    public static MiniClusterExtension spreadOver(
            int taskManagers, int slotsPerTaskManager, Configuration extra) {
        Configuration conf = new Configuration(extra);
        conf.set(
                TaskManagerOptions.TASK_MANAGER_LOAD_BALANCE_MODE,
                TaskManagerOptions.TaskManagerLoadBalanceMode.SLOTS);
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(taskManagers)
                        .setNumberSlotsPerTaskManager(slotsPerTaskManager)
                        .setConfiguration(conf)
                        .build());
    }
}
