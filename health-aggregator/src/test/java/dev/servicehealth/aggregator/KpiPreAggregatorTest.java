package dev.servicehealth.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.servicehealth.aggregator.kpi.KpiPartial;
import dev.servicehealth.aggregator.window.RequestPreAggregator;
import dev.servicehealth.aggregator.window.SaturationPreAggregator;
import dev.servicehealth.model.MetricSample;
import dev.servicehealth.model.Region;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.RequestEvents;
import dev.servicehealth.model.catalog.Grain;
import dev.servicehealth.model.catalog.MetricCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class KpiPreAggregatorTest {
    private static final long T = RequestEvents.T;
    private static final Duration LATENESS = Duration.ofMinutes(10);

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
                    .containsExactlyInAnyOrder(Grain.SERVICE, Grain.DRILLDOWN);
            assertThat(partials).allSatisfy(p -> assertThat(p.events()).isEqualTo(501));
        }
    }

    /**
     * The record timestamp is the event's clock (decision 0009): an event whose clock had passed
     * its window's end plus the lateness is too late whatever the watermark here, and travels in a
     * partial of its own, marked so.
     */
    @Test
    void anEventWhoseClockPassedItsWindowsBoundGoesInATooLatePartial() throws Exception {
        long windowStart = Math.floorDiv(T, 60_000) * 60_000;
        long bound = windowStart + 60_000 - 1 + LATENESS.toMillis();
        try (var harness = harness(1_000)) {
            harness.processElement(event(200), bound - 1);
            harness.processElement(event(503), bound);
            harness.processElement(event(200), bound + 600_000);
            harness.prepareSnapshotPreBarrier(1);

            List<KpiPartial> serviceRows =
                    partials(harness).stream()
                            .filter(p -> p.key().grain() == Grain.SERVICE)
                            .toList();
            assertThat(serviceRows)
                    .extracting(KpiPartial::tooLate, KpiPartial::events)
                    .containsExactlyInAnyOrder(tuple(false, 1L), tuple(true, 2L));
        }
    }

    @Test
    void groupsServiceRowsByZoneAndKeepsRequestsWithoutOneAsUnreported() throws Exception {
        try (var harness = harness(1_000)) {
            harness.processElement(RequestEvents.gateway().zone("na-east-1a").build(), T);
            harness.processElement(RequestEvents.gateway().zone("na-east-1b").build(), T);
            harness.processElement(RequestEvents.gateway().zone("na-east-1b").build(), T);
            harness.processElement(RequestEvents.gateway().build(), T);
            harness.prepareSnapshotPreBarrier(1);

            Map<String, Long> eventsByZone =
                    partials(harness).stream()
                            .filter(p -> p.key().grain() == Grain.SERVICE)
                            .collect(
                                    Collectors.toMap(
                                            p -> p.key().dimensions().split("\u001f")[1],
                                            KpiPartial::events));
            assertThat(eventsByZone)
                    .containsExactlyInAnyOrderEntriesOf(
                            Map.of(
                                    "na-east-1a",
                                    1L,
                                    "na-east-1b",
                                    2L,
                                    RequestEvent.UNREPORTED_ZONE,
                                    1L));
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

    @Test
    void combinesSaturationSamplesPerRegionAndServiceWithExactMaxAndAverage() throws Exception {
        try (var harness =
                new OneInputStreamOperatorTestHarness<>(
                        new SaturationPreAggregator(Duration.ofSeconds(1), 10_000, LATENESS))) {
            harness.open();
            harness.processElement(sample("queue_depth", "identity", 8), T);
            harness.processElement(sample("queue_depth", "identity", 20), T + 15_000);
            harness.processElement(sample("cpu_throttling_ratio", "identity", 0.5), T + 15_000);
            harness.processElement(sample("request_rate", "identity", 900), T + 15_000);
            harness.processElement(sample("queue_depth", "identity", Double.NaN), T + 20_000);
            harness.processElement(sample("queue_depth", "billing", 3), T + 30_000);
            harness.prepareSnapshotPreBarrier(1);

            List<KpiPartial> partials = harness.extractOutputValues();
            assertThat(partials)
                    .extracting(p -> p.key().dimensions())
                    .containsExactlyInAnyOrder("EMEA\u001fidentity", "EMEA\u001fbilling");
            KpiPartial identity =
                    partials.stream()
                            .filter(p -> p.key().dimensions().endsWith("identity"))
                            .findFirst()
                            .orElseThrow();
            int queue = 3 * signal("queue_depth");
            int cpu = 3 * signal("cpu_throttling");
            assertThat(identity.gauges()[queue]).as("queue depth max").isEqualTo(20);
            assertThat(identity.gauges()[queue + 1] / identity.gauges()[queue + 2])
                    .as("queue depth average")
                    .isEqualTo(14);
            assertThat(identity.gauges()[cpu]).isEqualTo(0.5);
            assertThat(identity.events())
                    .as("request_rate is no saturation signal, a staleness marker no sample")
                    .isEqualTo(3);
        }
    }

    private static int signal(String name) {
        for (int i = 0; i < MetricCatalog.SATURATION.size(); i++) {
            if (MetricCatalog.SATURATION.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name);
    }

    private static MetricSample sample(String metric, String service, double value) {
        return new MetricSample(metric, Map.of(), Region.EMEA, service, T, value, T);
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
                        new RequestPreAggregator(
                                List.of(Grain.SERVICE, Grain.DRILLDOWN),
                                Duration.ofMillis(flushMs),
                                maxRows,
                                LATENESS,
                                MetricCatalog.COUNTERS));
        harness.open();
        return harness;
    }
}
