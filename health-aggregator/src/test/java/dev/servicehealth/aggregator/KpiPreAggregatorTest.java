package dev.servicehealth.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.aggregator.kpi.KpiPartial;
import dev.servicehealth.aggregator.window.KpiPreAggregator;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.RequestEvents;
import dev.servicehealth.model.catalog.Grain;
import java.time.Duration;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class KpiPreAggregatorTest {
    private static final long T = RequestEvents.T;

    @Test
    void sendsOnePartialPerRowAndGrainPerFlush() throws Exception {
        try (var harness = harness(1_000)) {
            harness.setProcessingTime(0);
            for (int i = 0; i < 500; i++) {
                harness.processElement(event(200), T + i);
            }
            harness.processElement(event(503), T + 600);
            assertThat(partials(harness)).as("nothing before the flush").isEmpty();

            harness.setProcessingTime(1_000);

            List<KpiPartial> partials = partials(harness);
            assertThat(partials)
                    .extracting(p -> p.key().grain())
                    .containsExactlyInAnyOrder(Grain.SERVICE.name(), Grain.DRILLDOWN.name());
            assertThat(partials).allSatisfy(p -> assertThat(p.events()).isEqualTo(501));
        }
    }

    @Test
    void flushesTheWindowsAWatermarkClosesBeforeForwardingItSoNoEventOvertakesIt()
            throws Exception {
        try (var harness = harness(60_000)) {
            harness.processElement(event(200), T);
            harness.processElement(RequestEvents.gateway().eventTime(T + 60_000).build(), T);
            harness.processWatermark(new Watermark(T + 60_000));

            List<Object> output = List.copyOf(harness.getOutput());
            assertThat(output).as("the closed window's 2 rows, then the watermark").hasSize(3);
            assertThat(output.get(0)).isInstanceOf(StreamRecord.class);
            assertThat(output.get(1)).isInstanceOf(StreamRecord.class);
            assertThat(output.get(2)).isEqualTo(new Watermark(T + 60_000));
            assertThat(partials(harness))
                    .allSatisfy(p -> assertThat(p.key().windowStartMs()).isEqualTo(T));

            harness.prepareSnapshotPreBarrier(1);
            assertThat(partials(harness))
                    .as("the open window's rows stayed in the bundle")
                    .hasSize(4)
                    .last()
                    .satisfies(p -> assertThat(p.key().windowStartMs()).isEqualTo(T + 60_000));
        }
    }

    @Test
    void flushesBeforeACheckpointSoTheBundleNeedsNoState() throws Exception {
        try (var harness = harness(60_000)) {
            harness.processElement(event(200), T);
            harness.prepareSnapshotPreBarrier(1);

            assertThat(partials(harness)).hasSize(2);
        }
    }

    @Test
    void flushesWhenTheBundleIsFull() throws Exception {
        try (var harness = harness(60_000, 4)) {
            harness.processElement(event(200), T);
            harness.processElement(
                    RequestEvents.gateway().eventTime(T + 60_000).build(), T + 60_000);
            assertThat(partials(harness)).as("4 rows: 2 windows × 2 grains").hasSize(4);
        }
    }

    private static RequestEvent event(int status) {
        return RequestEvents.gateway().status(status).build();
    }

    private static List<KpiPartial> partials(
            OneInputStreamOperatorTestHarness<RequestEvent, KpiPartial> harness) {
        return harness.extractOutputValues();
    }

    private static OneInputStreamOperatorTestHarness<RequestEvent, KpiPartial> harness(long flushMs)
            throws Exception {
        return harness(flushMs, 10_000);
    }

    private static OneInputStreamOperatorTestHarness<RequestEvent, KpiPartial> harness(
            long flushMs, int maxRows) throws Exception {
        var harness =
                new OneInputStreamOperatorTestHarness<>(
                        new KpiPreAggregator(
                                List.of(Grain.SERVICE, Grain.DRILLDOWN),
                                Duration.ofMillis(flushMs),
                                maxRows));
        harness.open();
        return harness;
    }
}
