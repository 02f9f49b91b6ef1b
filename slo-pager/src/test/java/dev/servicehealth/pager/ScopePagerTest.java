package dev.servicehealth.pager;

import static dev.servicehealth.pager.PageSelectorTest.burn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.servicehealth.model.pager.AlertState;
import dev.servicehealth.model.pager.ScopeLevel;
import dev.servicehealth.model.pager.ScopePage;
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
    private static final Duration HOLD = Duration.ofSeconds(10);

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
            long lastEnd = Long.MIN_VALUE;
            for (SloAlert burn : List.of(ZONE, REGION, FLEET)) {
                SloAlert resolved = with(burn, AlertState.RESOLVED);
                lastEnd = Math.max(lastEnd, resolved.evaluatedAtMs());
                harness.processElement(resolved, 0);
            }
            harness.setProcessingTime(20_000 + SETTLE.toMillis());
            assertThat(harness.extractOutputValues())
                    .extracting(ScopePage::state, ScopePage::scope)
                    .containsExactly(
                            tuple(AlertState.FIRING, "EMEA"), tuple(AlertState.RESOLVED, "EMEA"));
            assertThat(harness.extractOutputValues().get(1).evaluatedAtMs())
                    .as("resolved as of the end of its last burn")
                    .isEqualTo(lastEnd);
            assertThat(harness.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void aZoneThatTripsSecondsBeforeItsRegionWaitsForItAndAZoneAlonePagesAfterTheHold()
            throws Exception {
        try (var harness = harness(null)) {
            harness.setProcessingTime(0);
            harness.processElement(ZONE, 0);
            harness.setProcessingTime(SETTLE.toMillis());
            assertThat(harness.extractOutputValues()).as("the zone waits").isEmpty();
            harness.setProcessingTime(6_000);
            harness.processElement(REGION, 0);
            harness.setProcessingTime(6_000 + SETTLE.toMillis());
            assertThat(harness.extractOutputValues())
                    .singleElement()
                    .satisfies(
                            page -> {
                                assertThat(page.level()).isEqualTo(ScopeLevel.REGION);
                                assertThat(page.covered()).containsExactly(ZONE.alertKey());
                            });
        }
        SloAlert otherZone = burn(AUTH, ScopeLevel.ZONE, "AMER/amer-east-1a", 30, 40);
        try (var harness = harness(null)) {
            harness.setProcessingTime(0);
            harness.processElement(otherZone, 0);
            // the hold follows the settle
            harness.setProcessingTime(SETTLE.plus(HOLD).toMillis() - 1);
            assertThat(harness.extractOutputValues()).isEmpty();
            harness.setProcessingTime(SETTLE.plus(HOLD).toMillis());
            assertThat(harness.extractOutputValues())
                    .as("no wider scope burns: the zone pages")
                    .singleElement()
                    .satisfies(page -> assertThat(page.scope()).isEqualTo("AMER/amer-east-1a"));
        }
    }

    @Test
    void aPageKeepsItsBurnsWhateverOrderTheyResolveInAndTakesInItsZonesOtherObjectives()
            throws Exception {
        SloAlert zoneAvailability =
                burn("availability.premium", ScopeLevel.ZONE, "EMEA/emea-1b", 30, 300);
        try (var harness = harness(null)) {
            harness.setProcessingTime(0);
            harness.processElement(REGION, 0);
            harness.processElement(ZONE, 0);
            harness.setProcessingTime(SETTLE.toMillis());
            harness.processElement(zoneAvailability, 0);
            harness.setProcessingTime(2 * SETTLE.toMillis());
            harness.processElement(with(REGION, AlertState.RESOLVED), 0);
            harness.setProcessingTime(3 * SETTLE.toMillis());

            assertThat(harness.extractOutputValues())
                    .as("the region resolved first, its zone's burns stay on its page")
                    .allSatisfy(page -> assertThat(page.scope()).isEqualTo("EMEA"))
                    .extracting(ScopePage::state)
                    .doesNotContain(AlertState.RESOLVED);
            assertThat(harness.extractOutputValues())
                    .last()
                    .satisfies(
                            page ->
                                    assertThat(page.objectives())
                                            .containsExactly(AUTH, "availability.premium"));

            harness.processElement(with(ZONE, AlertState.RESOLVED), 0);
            harness.processElement(with(zoneAvailability, AlertState.RESOLVED), 0);
            harness.setProcessingTime(4 * SETTLE.toMillis());
            assertThat(harness.extractOutputValues())
                    .last()
                    .satisfies(
                            page -> {
                                assertThat(page.scope()).isEqualTo("EMEA");
                                assertThat(page.state()).isEqualTo(AlertState.RESOLVED);
                            });
        }
    }

    @Test
    void burnsDecidedWhileCatchingUpAreChosenWhenTheWatermarkPassesThemNotAsTheyArrive()
            throws Exception {
        try (var harness = harness(null)) {
            harness.setProcessingTime(0);
            harness.processElement(caughtUp(ZONE, 10_000), 0);
            harness.setProcessingTime(60_000);
            assertThat(harness.extractOutputValues())
                    .as("the region's evaluator is still behind: nothing yet")
                    .isEmpty();

            harness.processElement(caughtUp(REGION, 10_000), 0);
            harness.processElement(caughtUp(FLEET, 12_000), 0);
            harness.processWatermark(12_000);

            assertThat(harness.extractOutputValues())
                    .as("as of 10 s the region pages for its zone; as of 12 s for the fleet too")
                    .allSatisfy(page -> assertThat(page.scope()).isEqualTo("EMEA"))
                    .extracting(page -> page.covered().length)
                    .containsExactly(1, 2);
        }
    }

    @Test
    void aDecisionOlderThanOneAppliedAlreadyIsIgnoredWhicheverPathItCameBy() throws Exception {
        try (var harness = harness(null)) {
            harness.setProcessingTime(0);
            harness.processElement(caughtUp(REGION, 10_000), 0);
            harness.processWatermark(10_000);
            SloAlert resolvedLive = with(REGION, AlertState.RESOLVED);
            harness.processElement(resolvedLive, 0);
            harness.setProcessingTime(SETTLE.toMillis());
            // a report decided while catching up, before the resolve, arrives after it
            harness.processElement(caughtUp(with(REGION, AlertState.BURNING), 10_005), 0);
            harness.processWatermark(10_005);

            assertThat(harness.extractOutputValues())
                    .extracting(ScopePage::state)
                    .containsExactly(AlertState.FIRING, AlertState.RESOLVED);
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

    /** The burn as an evaluator catching up on a backlog decides it, as of {@code atMs}. */
    private static SloAlert caughtUp(SloAlert burn, long atMs) {
        return decided(burn, burn.state(), atMs, atMs, false);
    }

    /** The burn's next transition, ten seconds on. */
    private static SloAlert with(SloAlert burn, AlertState state) {
        return decided(burn, state, burn.evaluatedAtMs() + 10_000, burn.firedAtMs(), burn.live());
    }

    private static SloAlert decided(
            SloAlert burn, AlertState state, long atMs, long firedAtMs, boolean live) {
        return new SloAlert(
                burn.slo(),
                burn.level(),
                burn.scope(),
                burn.severity(),
                state,
                burn.pair(),
                burn.startsAtMs(),
                atMs,
                burn.longBurnRate(),
                burn.shortBurnRate(),
                burn.longWindowEvents(),
                burn.budgetLeft(),
                burn.hourBad(),
                burn.hourTotal(),
                firedAtMs,
                live);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SloAlert, ScopePage> harness(
            OperatorSubtaskState restoreFrom) throws Exception {
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new ScopePager(SETTLE, HOLD, -1, "127.0.0.1")),
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
