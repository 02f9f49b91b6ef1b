package dev.servicehealth.pager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.model.Region;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.RequestEvents;
import dev.servicehealth.model.TenantTier;
import dev.servicehealth.model.catalog.SloCatalog;
import dev.servicehealth.model.pager.ScopeLevel;
import dev.servicehealth.model.reference.ReferenceData;
import java.time.Duration;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class SloCountBundlerTest {
    private static final long T = RequestEvents.T;

    @Test
    void sendsOneCountPerObjectiveScopeAndBucketEachFlush() throws Exception {
        try (var harness = harness(1_000)) {
            harness.setProcessingTime(0);
            for (int i = 0; i < 100; i++) {
                harness.processElement(request(T + i * 50L, i % 10 == 0 ? 503 : 200), T);
            }
            assertThat(harness.extractOutputValues()).as("nothing before the flush").isEmpty();

            harness.setProcessingTime(1_000);
            List<SloCount> counts = harness.extractOutputValues();
            assertThat(counts)
                    .filteredOn(c -> c.slo().equals("availability.standard"))
                    .as("one count per scope: fleet, region, zone, service")
                    .hasSize(4)
                    .allSatisfy(
                            c -> {
                                assertThat(c.good()).isEqualTo(90);
                                assertThat(c.bad()).isEqualTo(10);
                                assertThat(c.firstBadMs()).isEqualTo(T);
                                assertThat(c.eventTimeMs()).isEqualTo(T + 99 * 50L);
                            });
            assertThat(counts).extracting(SloCount::key).doesNotHaveDuplicates().hasSize(3 * 4);
        }
    }

    @Test
    void keepsTheBucketsOfAFlushApartAndFlushesBeforeEveryBarrierAndAtTheEnd() throws Exception {
        try (var harness = harness(60_000)) {
            harness.setProcessingTime(0);
            harness.processElement(request(T + 9_999, 200), T);
            harness.processElement(request(T + 10_000, 200), T);
            harness.prepareSnapshotPreBarrier(1);
            assertThat(harness.extractOutputValues())
                    .filteredOn(c -> c.slo().equals("availability.standard"))
                    .filteredOn(c -> c.level() == ScopeLevel.GLOBAL)
                    .extracting(SloCount::eventTimeMs)
                    .containsExactlyInAnyOrder(T + 9_999, T + 10_000);

            harness.processElement(request(T + 20_000, 200), T);
            harness.endInput();
            assertThat(harness.extractOutputValues())
                    .filteredOn(c -> c.eventTimeMs() == T + 20_000)
                    .isNotEmpty();
        }
    }

    @Test
    void sendsTheBucketsAWatermarkClosesBeforeIt() throws Exception {
        try (var harness = harness(60_000)) {
            harness.setProcessingTime(0);
            harness.processElement(request(T + 5_000, 200), T);
            harness.processElement(request(T + 15_000, 200), T);
            harness.processWatermark(T + 9_999);

            List<Object> output = List.copyOf(harness.getOutput());
            assertThat(output).last().isInstanceOf(Watermark.class);
            assertThat(harness.extractOutputValues())
                    .as("the closed bucket's counts, and only those, before the watermark")
                    .isNotEmpty()
                    .allSatisfy(c -> assertThat(c.eventTimeMs()).isEqualTo(T + 5_000));
        }
    }

    private static RequestEvent request(long eventTimeMs, int status) {
        return RequestEvents.gateway()
                .status(status)
                .tier(TenantTier.STANDARD)
                .region(Region.EMEA)
                .zone("emea-1a")
                .service("checkout")
                .eventTime(eventTimeMs)
                .build();
    }

    private static OneInputStreamOperatorTestHarness<RequestEvent, SloCount> harness(long flushMs)
            throws Exception {
        var harness =
                new OneInputStreamOperatorTestHarness<>(
                        new SloCountBundler(
                                new SloScopes(SloCatalog.of(ReferenceData.bundled().sloTargets())),
                                Duration.ofMillis(flushMs),
                                10_000));
        harness.open();
        return harness;
    }
}
