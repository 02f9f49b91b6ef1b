package dev.servicehealth.pager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.servicehealth.model.RequestEvents;
import dev.servicehealth.model.catalog.BurnRateRule;
import dev.servicehealth.model.catalog.PipelineMetric;
import dev.servicehealth.model.catalog.SloCatalog;
import dev.servicehealth.model.pager.AlertState;
import dev.servicehealth.model.pager.ScopeLevel;
import dev.servicehealth.model.reference.ReferenceData;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBKeyedStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BurnRateEvaluatorTest {
    private static final long T = RequestEvents.T;
    private static final String SLO = "availability.standard";
    private static final Duration MIN_SILENCE = Duration.ofMinutes(1);
    private static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();

    /**
     * Six hours of steady traffic before 10:00 (the slowest page pair's window: a younger scope
     * judges the 6 h pair by the few minutes it has), a total outage from 10:10:00 for two minutes,
     * then good again.
     */
    private static final int OUTAGE_FROM_S = 600;

    private static final int OUTAGE_TO_S = 720;

    /** How far the watermark trails the newest event live: the normalizer's default. */
    private static final long OUT_OF_ORDERNESS = 10_000;

    @BeforeAll
    static void countMeters() {
        Metrics.addRegistry(METERS);
    }

    @Test
    void pagesOnceSevenSecondsIntoATotalOutageAndResolvesWhenTheHourlyPairClears()
            throws Exception {
        try (var harness = harness(null)) {
            outage(harness, 0, 1_100);

            List<SloAlert> pages = pages(harness);
            assertThat(pages)
                    .extracting(SloAlert::state)
                    .containsExactly(AlertState.FIRING, AlertState.RESOLVED);
            SloAlert firing = pages.get(0);
            assertThat(firing.pair()).isEqualTo("fast");
            assertThat(firing.startsAtMs())
                    .as("the first bad event")
                    .isEqualTo(T + OUTAGE_FROM_S * 1_000L);
            assertThat(firing.evaluatedAtMs() - firing.startsAtMs())
                    .as("10 % of a minute's traffic: the seventh second of errors")
                    .isEqualTo(6_000);
            assertThat(firing.shortBurnRate())
                    .as("the short window: a steady bucket and seven seconds of errors")
                    .isCloseTo(70.0 / 170 / 0.001, within(1e-6));
            assertThat(firing.level()).isEqualTo(ScopeLevel.REGION);
            assertThat(firing.scope()).isEqualTo("EMEA");

            SloAlert resolved = pages.get(1);
            assertThat(resolved.pair()).isEqualTo("fast");
            assertThat(resolved.startsAtMs()).isEqualTo(firing.startsAtMs());
            assertThat(resolved.evaluatedAtMs())
                    .as(
                            "the hourly pair's 5-minute window holds the outage's last bucket"
                                    + " until 10:17:00, then a minute without a trip")
                    .isEqualTo(T + 1_079_000L);
            assertThat(resolved.budgetLeft())
                    .as(
                            "1,200 bad of 226,800 (six hours and 1,080 s) at 0.1 %: over five times"
                                    + " the budget")
                    .isCloseTo(1 - 1_200 / 226.8, within(1e-9));
        }
    }

    @Test
    void reportsAFiringPageOncePerTenSecondsWithTheLastHoursFigures() throws Exception {
        try (var harness = harness(null)) {
            outage(harness, 0, OUTAGE_FROM_S + 60);
            List<SloAlert> reports =
                    harness.extractOutputValues().stream()
                            .filter(a -> a.severity() == BurnRateRule.Severity.PAGE)
                            .filter(a -> a.state() == AlertState.BURNING)
                            .toList();
            assertThat(reports)
                    .extracting(SloAlert::evaluatedAtMs)
                    .as("the first count of every ten-second bucket after the one that fired")
                    .containsExactly(
                            T + 610_000, T + 620_000, T + 630_000, T + 640_000, T + 650_000);
            SloAlert last = reports.get(reports.size() - 1);
            assertThat(last.hourBad()).isEqualTo(510);
            assertThat(last.hourTotal())
                    .as(
                            "295 steady buckets before 10:00, 60 after, 5 down and the first"
                                    + " second of the sixth")
                    .isEqualTo(36_010);
        }
    }

    @Test
    void aBacklogReadAtFullSpeedPagesAsItWouldHaveLiveBucketByBucket() throws Exception {
        try (var harness = harness(null)) {
            for (long t = T - Duration.ofHours(6).toMillis(); t < T; t += 10_000) {
                harness.processElement(count("EMEA", t, 100, 0), t);
            }
            // two readers at their own pace: every even second first, then every odd one
            for (int parity = 0; parity < 2; parity++) {
                for (int s = parity; s < 1_100; s += 2) {
                    long t = T + s * 1_000L;
                    boolean down = s >= OUTAGE_FROM_S && s < OUTAGE_TO_S;
                    harness.processElement(count("EMEA", t, down ? 0 : 10, down ? 10 : 0), t);
                }
            }
            assertThat(harness.extractOutputValues())
                    .as("nothing decided before the watermark")
                    .isEmpty();

            harness.processWatermark(T + 1_100_000);

            assertThat(pages(harness))
                    .extracting(SloAlert::state, SloAlert::evaluatedAtMs)
                    .as("as of the end of each ten-second bucket the watermark passed")
                    .containsExactly(
                            tuple(AlertState.FIRING, T + 609_999L),
                            tuple(AlertState.RESOLVED, T + 1_079_999L));
            assertThat(pages(harness).get(0).startsAtMs()).isEqualTo(T + 600_000L);
        }
    }

    @Test
    void aScopeThatCaughtUpStopsEvaluatingByTimerAndDecidesLiveAgain() throws Exception {
        try (var harness = harness(null)) {
            harness.processElement(count("EMEA", T, 10, 0), T);
            assertThat(harness.numEventTimeTimers())
                    .as("no watermark yet: expiry and a catch-up evaluation")
                    .isEqualTo(2);
            harness.processWatermark(T - OUT_OF_ORDERNESS);
            harness.processElement(count("EMEA", T + 1_000, 10, 0), T + 1_000);
            assertThat(harness.numEventTimeTimers())
                    .as("live again: the catch-up timer is gone, the expiry stays")
                    .isEqualTo(1);
        }
    }

    @Test
    void lateEventsOfAResolvedIncidentDoNotPageAgain() throws Exception {
        double lateBefore = meter(PipelineMetric.PAGER_LATE_EVENTS);
        double heldBefore = meter(PipelineMetric.PAGER_REPEATS_HELD);
        try (var harness = harness(null)) {
            outage(harness, 0, 1_100);
            long late = T + 650_000;
            harness.processElement(count("EMEA", late, 0, 200), late);

            assertThat(pages(harness))
                    .extracting(SloAlert::state)
                    .containsExactly(AlertState.FIRING, AlertState.RESOLVED);
            assertThat(meter(PipelineMetric.PAGER_LATE_EVENTS) - lateBefore).isEqualTo(200);
            assertThat(meter(PipelineMetric.PAGER_REPEATS_HELD) - heldBefore)
                    .as("the 6 h pair's 30 minutes hold the late errors: tripped, held")
                    .isGreaterThan(0);
        }
    }

    @Test
    void aRestoredEvaluatorKnowsItsOpenPageAndOnlyResolvesIt() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness(null)) {
            outage(harness, 0, OUTAGE_FROM_S + 30);
            assertThat(pages(harness))
                    .extracting(SloAlert::state)
                    .containsExactly(AlertState.FIRING);
            snapshot = harness.snapshot(1, T + 630_000);
        }
        try (var restored = harness(snapshot)) {
            outage(restored, OUTAGE_FROM_S + 30, 1_100);
            assertThat(pages(restored))
                    .extracting(SloAlert::state)
                    .containsExactly(AlertState.RESOLVED);
        }
    }

    @Test
    void aTenantWithOneFailureInThreeRequestsIsNotPaged() throws Exception {
        double guardedBefore = guarded("fast");
        try (var harness = harness(null)) {
            for (int i = 0; i < 3; i++) {
                long t = T + i * 1_000L;
                harness.setProcessingTime(t);
                harness.processWatermark(t - OUT_OF_ORDERNESS);
                harness.processElement(count("EMEA", t, i == 1 ? 0 : 1, i == 1 ? 1 : 0), t);
            }
            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(guarded("fast") - guardedBefore).isGreaterThan(0);
        }
    }

    @Test
    void aBusyScopeThatFallsSilentRaisesDataMissingNotAResolve() throws Exception {
        try (var harness = harness(null)) {
            outage(harness, 0, OUTAGE_FROM_S + 30);
            long lastArrival = T + (OUTAGE_FROM_S + 29) * 1_000L;

            harness.setProcessingTime(lastArrival + MIN_SILENCE.toMillis() - 1);
            assertThat(harness.extractOutputValues())
                    .extracting(SloAlert::state)
                    .doesNotContain(AlertState.DATA_MISSING);
            harness.setProcessingTime(lastArrival + MIN_SILENCE.toMillis());
            assertThat(harness.extractOutputValues())
                    .filteredOn(a -> a.severity() == BurnRateRule.Severity.TICKET)
                    .extracting(SloAlert::state)
                    .endsWith(AlertState.DATA_MISSING);
            harness.setProcessingTime(lastArrival + 10 * MIN_SILENCE.toMillis());
            assertThat(harness.extractOutputValues())
                    .extracting(SloAlert::state)
                    .as("one report of the silence, and silence resolves nothing")
                    .containsOnlyOnce(AlertState.DATA_MISSING)
                    .doesNotContain(AlertState.RESOLVED);

            long back = T + 1_000_000;
            harness.processElement(count("EMEA", back, 10, 0), back);
            assertThat(harness.extractOutputValues())
                    .extracting(SloAlert::state)
                    .contains(AlertState.DATA_BACK);
        }
    }

    @Test
    void aQuietScopeIsNotReportedMissing() throws Exception {
        try (var harness = harness(null)) {
            for (int i = 0; i < 50; i++) {
                long t = T + i * 60_000L;
                harness.setProcessingTime(t);
                harness.processElement(count("EMEA", t, 1, 0), t);
            }
            harness.setProcessingTime(T + Duration.ofDays(1).toMillis());
            assertThat(harness.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void aScopeSilentForTheLongestWindowEndsItsAlertsAndLeavesNoStateOrTimer() throws Exception {
        try (var harness = harness(null)) {
            outage(harness, 0, OUTAGE_FROM_S + 30);
            assertThat(states(harness)).isEqualTo(1);
            assertThat(harness.numEventTimeTimers())
                    .as("one expiry timer, however long the traffic")
                    .isEqualTo(1);

            harness.processWatermark(
                    T + OUTAGE_FROM_S * 1_000L + BurnRateRule.LONGEST_WINDOW.toMillis());
            assertThat(states(harness)).as("not before the longest window").isEqualTo(1);
            harness.processWatermark(T + 3_600_000 + BurnRateRule.LONGEST_WINDOW.toMillis());

            assertThat(harness.extractOutputValues())
                    .filteredOn(a -> a.state() == AlertState.EXPIRED)
                    .extracting(SloAlert::severity)
                    .containsExactlyInAnyOrder(
                            BurnRateRule.Severity.PAGE, BurnRateRule.Severity.TICKET);
            assertThat(states(harness)).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
            assertThat(harness.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void aRestoredJobDoesNotReportItsOwnDowntimeAsMissingData() throws Exception {
        OperatorSubtaskState snapshot;
        long lastArrival = T + (OUTAGE_FROM_S + 29) * 1_000L;
        try (var harness = harness(null)) {
            outage(harness, 0, OUTAGE_FROM_S + 30);
            snapshot = harness.snapshot(1, lastArrival);
        }
        try (var restored = harness(snapshot)) {
            long back = lastArrival + Duration.ofMinutes(10).toMillis();
            restored.setProcessingTime(back);
            restored.processElement(count("EMEA", back, 10, 0), back);
            assertThat(restored.extractOutputValues())
                    .extracting(SloAlert::state)
                    .doesNotContain(AlertState.DATA_MISSING, AlertState.DATA_BACK);

            restored.setProcessingTime(back + MIN_SILENCE.toMillis());
            assertThat(restored.extractOutputValues())
                    .as("a silence after the restore is still reported")
                    .extracting(SloAlert::state)
                    .contains(AlertState.DATA_MISSING);
        }
    }

    @Test
    void itsStateAndRecordsTravelWithFlinksOwnSerializersNotKryo() {
        SerializerConfigImpl noGenericTypes = new SerializerConfigImpl();
        noGenericTypes.setGenericTypes(false);
        for (Class<?> type : List.of(ScopeBurnState.class, SloCount.class, SloAlert.class)) {
            TypeInformation<?> info = TypeInformation.of(type);
            assertThat(info).as(type.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
            assertThat(info.createSerializer(noGenericTypes)).isNotNull();
        }
    }

    /**
     * Ten EMEA requests a second from second {@code fromS} to {@code toS} after 10:00, all bad
     * during the outage, one count a second; a start at 0 first feeds the six steady hours before,
     * one count per ten-second bucket. Processing time follows event time.
     */
    private static void outage(
            KeyedOneInputStreamOperatorTestHarness<String, SloCount, SloAlert> harness,
            int fromS,
            int toS)
            throws Exception {
        if (fromS == 0) {
            for (long t = T - Duration.ofHours(6).toMillis(); t < T; t += 10_000) {
                harness.setProcessingTime(t);
                harness.processWatermark(t - OUT_OF_ORDERNESS);
                harness.processElement(count("EMEA", t, 100, 0), t);
            }
        }
        for (int s = fromS; s < toS; s++) {
            long t = T + s * 1_000L;
            boolean down = s >= OUTAGE_FROM_S && s < OUTAGE_TO_S;
            harness.setProcessingTime(t);
            harness.processWatermark(t - OUT_OF_ORDERNESS);
            harness.processElement(count("EMEA", t, down ? 0 : 10, down ? 10 : 0), t);
        }
    }

    private static SloCount count(String region, long t, long good, long bad) {
        return new SloCount(
                SLO, ScopeLevel.REGION, region, t, good, bad, bad > 0 ? t : Long.MAX_VALUE);
    }

    /** The page severity's transitions, its ten-second reports left out. */
    private static List<SloAlert> pages(
            KeyedOneInputStreamOperatorTestHarness<String, SloCount, SloAlert> harness) {
        return harness.extractOutputValues().stream()
                .filter(a -> a.severity() == BurnRateRule.Severity.PAGE)
                .filter(a -> a.state() != AlertState.BURNING)
                .toList();
    }

    private static long states(
            KeyedOneInputStreamOperatorTestHarness<String, SloCount, SloAlert> harness)
            throws Exception {
        var backend = (RocksDBKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend();
        return backend.getKeys("slo-scope", VoidNamespace.INSTANCE).count();
    }

    private static double meter(PipelineMetric metric) {
        return METERS.find(metric.meterName()).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    private static double guarded(String pair) {
        return METERS.find(PipelineMetric.PAGER_GUARDED_WINDOWS.meterName())
                .tag("pair", pair)
                .counter()
                .count();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SloCount, SloAlert> harness(
            OperatorSubtaskState restoreFrom) throws Exception {
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new BurnRateEvaluator(
                                        new BurnSettings(
                                                SloCatalog.of(ReferenceData.bundled().sloTargets()),
                                                MIN_SILENCE,
                                                -1,
                                                "127.0.0.1"))),
                        SloCount::key,
                        Types.STRING);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend(true));
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
        return harness;
    }
}
