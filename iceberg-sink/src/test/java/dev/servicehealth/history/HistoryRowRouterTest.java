package dev.servicehealth.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.model.EventCodec;
import dev.servicehealth.model.RequestEvents;
import dev.servicehealth.model.catalog.PipelineMetric;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The router sends rows to their table's output and counts, never emits, what makes no row. */
class HistoryRowRouterTest {
    @BeforeAll
    static void countMeters() {
        Metrics.addRegistry(new SimpleMeterRegistry());
    }

    @Test
    void rowsGoToTheirTableAndUnreadableRecordsAreCountedNotEmitted() throws Exception {
        String topic = "router-test.dedup.requests";
        double unreadableBefore = unreadable(topic);
        try (OneInputStreamOperatorTestHarness<TopicRecord, Void> harness =
                new OneInputStreamOperatorTestHarness<>(
                        new ProcessOperator<>(
                                new HistoryRowRouter(SilverRows.requests(), -1, "127.0.0.1")))) {
            harness.open();
            harness.processElement(
                    new TopicRecord(
                            topic,
                            0,
                            1,
                            10,
                            null,
                            EventCodec.encode(RequestEvents.gateway().build()),
                            20),
                    10);
            harness.processElement(
                    new TopicRecord(topic, 0, 2, 10, null, new byte[] {(byte) 0xff, 1}, 20), 10);

            assertThat(harness.getSideOutput(HistoryRowRouter.output(HistoryTable.REQUESTS)))
                    .hasSize(1);
            assertThat(harness.getOutput()).isEmpty();
        }
        assertThat(unreadable(topic) - unreadableBefore).isEqualTo(1);
    }

    private static double unreadable(String topic) {
        return Metrics.globalRegistry
                .find(PipelineMetric.HISTORY_UNREADABLE_RECORDS.meterName())
                .tag("topic", topic)
                .counters()
                .stream()
                .mapToDouble(c -> c.count())
                .sum();
    }
}
