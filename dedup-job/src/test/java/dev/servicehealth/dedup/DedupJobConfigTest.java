package dev.servicehealth.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servicehealth.model.EventKind;
import dev.servicehealth.model.Topics;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DedupJobConfigTest {

    @Test
    void defaultsToTheStandardTopicsAndAThirtyMinuteRetention() {
        DedupJobConfig config = DedupJobConfig.fromArgs("--bootstrap-servers", "127.0.0.1:9092");

        assertThat(config.get(DedupJobConfig.RETENTION)).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.inputTopics())
                .containsEntry(Topics.NORMALIZED_REQUESTS, EventKind.REQUEST)
                .containsEntry(Topics.NORMALIZED_METRICS, EventKind.METRIC_SAMPLE)
                .containsEntry(Topics.NORMALIZED_STATUS, EventKind.STATUS);
        assertThat(config.outputTopics())
                .containsEntry(EventKind.REQUEST, Topics.DEDUP_REQUESTS)
                .containsEntry(EventKind.METRIC_SAMPLE, Topics.DEDUP_METRICS)
                .containsEntry(EventKind.STATUS, Topics.DEDUP_STATUS);
    }

    @Test
    void refusesARetentionInsideTheLatenessHorizon() {
        assertThatThrownBy(
                        () ->
                                DedupJobConfig.fromArgs(
                                        "--bootstrap-servers", "k:1", "--retention", "11 min"))
                .hasMessageContaining("retention")
                .hasMessageContaining("11 min");
        assertThat(
                        DedupJobConfig.fromArgs(
                                        "--bootstrap-servers", "k:1", "--retention", "12 min")
                                .get(DedupJobConfig.RETENTION))
                .isEqualTo(Duration.ofMinutes(12));
    }

    @Test
    void refusesATransactionTimeoutTheBrokerWouldRefuse() {
        assertThatThrownBy(
                        () ->
                                DedupJobConfig.fromArgs(
                                        "--bootstrap-servers",
                                        "k:1",
                                        "--transaction-timeout",
                                        "15 min"))
                .hasMessageContaining("transaction-timeout");
    }

    @Test
    void failsFastNamingTheBadKeyOrValue() {
        assertThatThrownBy(
                        () -> DedupJobConfig.fromArgs("--bootstrap-servers", "k:1", "--ttl", "1h"))
                .hasMessageContaining("ttl");
        assertThatThrownBy(() -> DedupJobConfig.fromArgs("--retention", "30 min"))
                .hasMessageContaining("bootstrap-servers");
        assertThatThrownBy(
                        () ->
                                DedupJobConfig.fromArgs(
                                        "--bootstrap-servers", "k:1", "--retention", "soon"))
                .hasMessageContaining("retention");
        assertThatThrownBy(
                        () ->
                                DedupJobConfig.fromArgs(
                                        "--bootstrap-servers",
                                        "k:1",
                                        "--topic.dedup.metrics",
                                        Topics.DEDUP_REQUESTS))
                .hasMessageContaining("own input and output topic");
    }
}
