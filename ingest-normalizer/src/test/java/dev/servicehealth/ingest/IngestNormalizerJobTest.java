package dev.servicehealth.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The job's wiring, without running it. */
class IngestNormalizerJobTest {

    @Test
    void checkpointsExactlyOnceReusesObjectsAndRefusesKryo() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        IngestNormalizerJob.defineWorkflow(
                env,
                IngestNormalizerConfig.fromMap(
                        Map.of(
                                "bootstrap-servers",
                                "127.0.0.1:9092",
                                "checkpoint-interval",
                                "7 s")));

        assertThat(env.getCheckpointConfig().getCheckpointInterval()).isEqualTo(7_000L);
        assertThat(env.getCheckpointConfig().getCheckpointingConsistencyMode())
                .isEqualTo(CheckpointingMode.EXACTLY_ONCE);
        assertThat(env.getConfig().isObjectReuseEnabled()).isTrue();
        assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled()).isTrue();
        assertThat(env.getStreamGraph().getStreamNodes())
                .extracting(node -> node.getOperatorName())
                .contains("normalize-requests", "normalize-metrics");
    }
}
