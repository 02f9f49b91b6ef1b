package dev.servicehealth.testing;

import java.time.Duration;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;

/** What the failure tests need to know about a job on a MiniCluster: checkpoints and restarts. */
public final class FlinkJobProbe {
    private FlinkJobProbe() {}

    /** Waits until one more checkpoint of {@code job} has completed than when called. */
    public static void awaitCompletedCheckpoint(MiniCluster miniCluster, JobID job, Duration wait)
            throws Exception {
        long before = completedCheckpoints(miniCluster, job);
        long deadline = System.nanoTime() + wait.toNanos();
        while (completedCheckpoints(miniCluster, job) <= before) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no checkpoint of " + job + " completed within " + wait);
            }
            Thread.sleep(100);
        }
    }

    public static long completedCheckpoints(MiniCluster miniCluster, JobID job) throws Exception {
        AccessExecutionGraph graph = miniCluster.getExecutionGraph(job).get();
        return graph.getCheckpointStatsSnapshot() == null
                ? 0
                : graph.getCheckpointStatsSnapshot().getCounts().getNumberOfCompletedCheckpoints();
    }

    /** Whether any task of {@code job} runs in a later attempt than its first (it restarted). */
    public static boolean restartedAnyTask(MiniCluster miniCluster, JobID job) throws Exception {
        for (AccessExecutionVertex vertex :
                miniCluster.getExecutionGraph(job).get().getAllExecutionVertices()) {
            if (vertex.getCurrentExecutionAttempt().getAttemptNumber() > 0) {
                return true;
            }
        }
        return false;
    }

    /** The state backend the job runs on, as Flink names it. */
    public static String stateBackend(MiniCluster miniCluster, JobID job) throws Exception {
        return miniCluster.getExecutionGraph(job).get().getStateBackendName().orElse("none");
    }
}
