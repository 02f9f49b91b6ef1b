package dev.servicehealth.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servicehealth.runtime.JobOptions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestNormalizerConfigTest {

    @Test
    void parsesArgumentsWithDefaults() {
        IngestNormalizerConfig config =
                IngestNormalizerConfig.fromArgs(
                        "--bootstrap-servers", "127.0.0.1:9092", "--max-future-skew=1 min");
        assertThat(config.get(IngestNormalizerConfig.MAX_FUTURE_SKEW))
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(config.get(JobOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.sourceByTopic()).hasSize(4);
    }

    @Test
    void failsFastNamingTheBadKey() {
        assertThatThrownBy(
                        () ->
                                IngestNormalizerConfig.fromArgs(
                                        "--bootstrap-servers", "x", "--colour", "red"))
                .hasMessageContaining("colour");
        assertThatThrownBy(() -> IngestNormalizerConfig.fromMap(Map.of()))
                .hasMessageContaining("bootstrap-servers");
        assertThatThrownBy(
                        () ->
                                IngestNormalizerConfig.fromMap(
                                        Map.of(
                                                "bootstrap-servers",
                                                "x",
                                                "max-record-bytes",
                                                "lots")))
                .hasMessageContaining("max-record-bytes");
    }

    @Test
    void refusesATransactionTimeoutTheBrokerWouldReject() {
        assertThatThrownBy(
                        () ->
                                IngestNormalizerConfig.fromMap(
                                        Map.of(
                                                "bootstrap-servers",
                                                "x",
                                                "transaction-timeout",
                                                "20 min")))
                .hasMessageContaining("transaction-timeout");
    }
}
