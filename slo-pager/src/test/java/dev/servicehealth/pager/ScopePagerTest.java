package dev.servicehealth.pager;

import static dev.servicehealth.pager.PageSelectorTest.burn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ScopePagerTest {
    private static final String AUTH = "auth_availability.premium";
    private static final Duration SETTLE = Duration.ofSeconds(2);

    private static final SloAlert ZONE = burn(AUTH, ScopeLevel.ZONE, "EMEA/emea-1b", 34, 42);
    private static final SloAlert REGION = burn(AUTH, ScopeLevel.REGION, "EMEA", 100, 125);
    private static final SloAlert FLEET = burn(AUTH, ScopeLevel.GLOBAL, "all", 100, 370);

    @Test
    void aZoneThatTripsMomentsBeforeItsRegionPagesOnceAsTheRegionAndResolvesWithIt()
            throws Exception {
        try (var harness = harness(null)) {
            harness.setProcessingTime(0);
            harness.processElement(ZONE, 0);
            harness.setProcessingTime(500);
            harness.processElement(REGION, 0);
            harness.processElement(FLEET, 0);
            harness.setProcessingTime(SETTLE.toMillis());

            assertThat(harness.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            page -> {
                                assertThat(page.state()).isEqualTo(AlertState.FIRING);
                                assertThat(page.level()).isEqualTo(ScopeLevel.REGION);
                                assertThat(page.scope()).isEqualTo("EMEA");
                                assertThat(page.objectives()).containsExactly(AUTH);
                                assertThat(page.covered())
                                        .containsExactlyInAnyOrder(
                                                ZONE.alertKey(), FLEET.alertKey());
                            });

            harness.setProcessingTime(10_000);
            for (SloAlert burn : List.of(ZONE, REGION, FLEET)) {
                harness.processElement(with(burn, AlertState.BURNING), 0);
            }
            harness.setProcessingTime(10_000 + SETTLE.toMillis());
            assertThat(harness.extractOutputValues())
                    .as("the same page with newer figures is not sent again")
                    .hasSize(1);

            harness.setProcessingTime(20_000);
            for (SloAlert burn : List.of(ZONE, REGION, FLEET)) {
                harness.processElement(with(burn, AlertState.RESOLVED), 0);
            }
            harness.setProcessingTime(20_000 + SETTLE.toMillis());
            assertThat(harness.extractOutputValues())
                    .extracting(ScopePage::state, ScopePage::scope)
                    .containsExactly(
                            tuple(AlertState.FIRING, "EMEA"), tuple(AlertState.RESOLVED, "EMEA"));
            assertThat(harness.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void aPageIsSentAgainWhenWhatItSaysChanges() throws Exception {
        try (var harness = harness(null)) {
            harness.setProcessingTime(0);
            harness.processElement(REGION, 0);
            harness.setProcessingTime(SETTLE.toMillis());
            harness.processElement(
                    burn("availability.premium", ScopeLevel.REGION, "EMEA", 50, 400), 0);
            harness.setProcessingTime(2 * SETTLE.toMillis());

            assertThat(harness.extractOutputValues())
                    .extracting(page -> List.of(page.objectives()))
                    .containsExactly(List.of(AUTH), List.of(AUTH, "availability.premium"));
        }
    }

    @Test
    void aRestoredPagerRemembersWhatItSentAndOnlyResolvesIt() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness(null)) {
            harness.setProcessingTime(0);
            harness.processElement(REGION, 0);
            harness.setProcessingTime(SETTLE.toMillis());
            assertThat(harness.extractOutputValues()).hasSize(1);
            snapshot = harness.snapshot(1, SETTLE.toMillis());
        }
        try (var restored = harness(snapshot)) {
            restored.setProcessingTime(10_000);
            restored.processElement(with(REGION, AlertState.BURNING), 0);
            restored.setProcessingTime(10_000 + SETTLE.toMillis());
            assertThat(restored.extractOutputValues()).isEmpty();
            restored.processElement(with(REGION, AlertState.RESOLVED), 0);
            restored.setProcessingTime(10_000 + 2 * SETTLE.toMillis());
            assertThat(restored.extractOutputValues())
                    .extracting(ScopePage::state)
                    .containsExactly(AlertState.RESOLVED);
        }
    }

    private static SloAlert with(SloAlert burn, AlertState state) {
        return new SloAlert(
                burn.slo(),
                burn.level(),
                burn.scope(),
                burn.severity(),
                state,
                burn.pair(),
                burn.startsAtMs(),
                burn.evaluatedAtMs() + 10_000,
                burn.longBurnRate(),
                burn.shortBurnRate(),
                burn.longWindowEvents(),
                burn.budgetLeft(),
                burn.recentBad(),
                burn.recentTotal());
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SloAlert, ScopePage> harness(
            OperatorSubtaskState restoreFrom) throws Exception {
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new ScopePager(SETTLE, -1, "127.0.0.1")),
                        (SloAlert a) -> a.severity().name(),
                        Types.STRING);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend(true));
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
        return harness;
    }
}
