package dev.servicehealth.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.aggregator.kpi.Firing;
import dev.servicehealth.aggregator.kpi.KpiAggregate;
import dev.servicehealth.aggregator.kpi.KpiKey;
import dev.servicehealth.aggregator.kpi.KpiPartial;
import dev.servicehealth.aggregator.kpi.KpiRow;
import dev.servicehealth.aggregator.window.KpiWindowFunction;
import dev.servicehealth.aggregator.window.WindowSettings;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.RequestEvents;
import dev.servicehealth.model.catalog.Grain;
import dev.servicehealth.model.catalog.KpiVersion;
import dev.servicehealth.model.catalog.MetricCatalog;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBKeyedStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class KpiWindowFunctionTest {
    private static final Duration EARLY = Duration.ofSeconds(5);
    private static final Duration LATENESS = Duration.ofMinutes(10);

    /** 10:00:00, the start of the window under test. */
    private static final long W = RequestEvents.T;

    private static final long WINDOW_END = W + 60_000 - 1;
    private static final int REQUESTS = MetricCatalog.COUNTERS.indexOf(MetricCatalog.REQUESTS);
    private static final int ERRORS = MetricCatalog.COUNTERS.indexOf(MetricCatalog.SERVER_ERRORS);

    @Test
    void emitsTheOpenWindowEveryIntervalOnlyWhenItChanged() throws Exception {
        try (var harness = harness()) {
            harness.setProcessingTime(1_000);
            harness.processElement(partial(200, 200, 503), W + 1_000);

            harness.setProcessingTime(5_000);
            assertThat(rows(harness))
                    .singleElement()
                    .satisfies(
                            row -> {
                                assertThat(row.firing()).isEqualTo(Firing.EARLY);
                                assertThat(row.version()).isEqualTo(1);
                                assertThat(row.counters()[REQUESTS]).isEqualTo(3);
                                assertThat(row.counters()[ERRORS]).isEqualTo(1);
                            });

            harness.setProcessingTime(10_000);
            assertThat(rows(harness)).as("nothing changed, nothing emitted").hasSize(1);

            harness.processElement(partial(200), W + 2_000);
            harness.setProcessingTime(15_000);
            assertThat(rows(harness))
                    .last()
                    .satisfies(
                            row -> {
                                assertThat(row.firing()).isEqualTo(Firing.EARLY);
                                assertThat(row.version()).isEqualTo(2);
                                assertThat(row.counters()[REQUESTS]).isEqualTo(4);
                            });
        }
    }

    @Test
    void measuresHowStaleEachEarlyRowIsWhenItLeaves() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Metrics.addRegistry(meters);
        try (var harness = harness()) {
            harness.setProcessingTime(W + 1_000);
            harness.processElement(partial(200), W + 1_000);
            harness.setProcessingTime(W + 5_000);

            DistributionSummary freshness =
                    meters.get("aggregator.freshness")
                            .tags("grain", "service", "firing", "early")
                            .summary();
            assertThat(freshness.count()).isEqualTo(1);
            assertThat(freshness.totalAmount())
                    .as("emitted at W + 5 s, newest event at W")
                    .isEqualTo(5_000);
        } finally {
            Metrics.removeRegistry(meters);
        }
    }

    @Test
    void firesOnTimeWhenTheWatermarkPassesTheWindowEnd() throws Exception {
        try (var harness = harness()) {
            harness.processElement(partial(200, 200), W + 1_000);
            harness.processWatermark(WINDOW_END - 1);
            assertThat(rows(harness)).isEmpty();

            harness.processWatermark(WINDOW_END);

            assertThat(rows(harness))
                    .singleElement()
                    .satisfies(
                            row -> {
                                assertThat(row.firing()).isEqualTo(Firing.ON_TIME);
                                assertThat(row.counters()[REQUESTS]).isEqualTo(2);
                                assertThat(row.percentiles()[0]).as("latency P50").isEqualTo(10.0);
                            });
        }
    }

    @Test
    void skipsTheOnTimeUpsertWhenAnEarlyFiringAlreadyEmittedTheSameValue() throws Exception {
        try (var harness = harness()) {
            harness.setProcessingTime(0);
            harness.processElement(partial(200, 200), W + 1_000);
            harness.setProcessingTime(5_000);
            harness.processWatermark(WINDOW_END);

            assertThat(rows(harness)).extracting(KpiRow::firing).containsExactly(Firing.EARLY);

            harness.processWatermark(WINDOW_END + LATENESS.toMillis());
            assertThat(rows(harness)).hasSize(1);
            assertThat(harness.getSideOutput(KpiWindowFunction.HISTORY))
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.getValue().version()).isEqualTo(2);
                                assertThat(r.getValue().counters()[REQUESTS]).isEqualTo(2);
                            });
        }
    }

    @Test
    void updatesAClosedWindowWithLateEventsWithinTheBound() throws Exception {
        try (var harness = harness()) {
            harness.setProcessingTime(0);
            harness.processElement(partial(200), W + 1_000);
            harness.processWatermark(WINDOW_END + 9 * 60_000);

            harness.processElement(partial(503), W + 30_000);
            harness.setProcessingTime(5_000);

            List<KpiRow> rows = rows(harness);
            assertThat(rows)
                    .extracting(KpiRow::firing)
                    .containsExactly(Firing.ON_TIME, Firing.LATE);
            assertThat(rows.get(1).counters()[REQUESTS]).isEqualTo(2);
            assertThat(rows.get(1).counters()[ERRORS]).isEqualTo(1);
            assertThat(rows.get(1).version()).isGreaterThan(rows.get(0).version());
        }
    }

    @Test
    void sendsTheFinalValueToHistoryAndLaterEventsToTheTooLateOutput() throws Exception {
        try (var harness = harness()) {
            harness.setProcessingTime(0);
            harness.processElement(partial(200, 200), W + 1_000);
            harness.processWatermark(WINDOW_END + LATENESS.toMillis());

            assertThat(rows(harness))
                    .as("the final value equals the on-time row: no second upsert")
                    .extracting(KpiRow::firing)
                    .containsExactly(Firing.ON_TIME);
            assertThat(harness.getSideOutput(KpiWindowFunction.HISTORY))
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(r.getValue().firing()).isEqualTo(Firing.FINAL);
                                assertThat(r.getValue().counters()[REQUESTS]).isEqualTo(2);
                            });
            assertThat(windowStates(harness)).as("the window's state is gone").isZero();
            assertThat(harness.numEventTimeTimers()).as("its timers too").isZero();
            assertThat(harness.numProcessingTimeTimers()).isZero();

            harness.processElement(partial(200, 503, 503), W + 59_000);
            harness.setProcessingTime(5_000);

            assertThat(rows(harness)).as("no row re-opened").hasSize(1);
            assertThat(harness.getSideOutput(KpiWindowFunction.TOO_LATE))
                    .singleElement()
                    .satisfies(r -> assertThat(r.getValue().events()).isEqualTo(3));
        }
    }

    @Test
    void aWindowWhoseFirstContributionIsLateFiresAsLateAndLeavesNoTimer() throws Exception {
        try (var harness = harness()) {
            harness.setProcessingTime(0);
            harness.processWatermark(WINDOW_END + 60_000);
            harness.processElement(partial(200, 503), W + 1_000);

            assertThat(harness.numEventTimeTimers())
                    .as("the final firing's timer only: the on-time one would be in the past")
                    .isEqualTo(1);
            assertThat(harness.numProcessingTimeTimers()).as("the re-emission").isEqualTo(1);
            harness.processWatermark(WINDOW_END + 61_000);
            assertThat(rows(harness)).as("no on-time firing at the next watermark").isEmpty();

            harness.setProcessingTime(5_000);
            assertThat(rows(harness))
                    .singleElement()
                    .satisfies(
                            row -> {
                                assertThat(row.firing()).isEqualTo(Firing.LATE);
                                assertThat(row.counters()[REQUESTS]).isEqualTo(2);
                            });

            harness.processWatermark(WINDOW_END + LATENESS.toMillis());
            assertThat(rows(harness)).as("the final value was already upserted").hasSize(1);
            assertThat(harness.getSideOutput(KpiWindowFunction.HISTORY)).hasSize(1);
            assertThat(windowStates(harness)).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
            assertThat(harness.numProcessingTimeTimers()).isZero();
        }
    }

    @Test
    void versionsOnlyGrowPerKeyAcrossEveryFiringAndARestore() throws Exception {
        OperatorSubtaskState snapshot;
        long lastVersion;
        try (var harness = harness()) {
            harness.setProcessingTime(0);
            harness.processElement(partial(200), W + 1_000);
            harness.setProcessingTime(5_000);
            harness.processElement(partial(200), W + 2_000);
            harness.setProcessingTime(10_000);
            harness.processWatermark(WINDOW_END);
            snapshot = harness.snapshot(1, 10_000);
            lastVersion = rows(harness).get(rows(harness).size() - 1).version();
        }
        try (var restored = harness(snapshot)) {
            restored.setProcessingTime(10_000);
            restored.processElement(partial(503), W + 3_000);
            restored.setProcessingTime(15_000);
            restored.processElement(partial(200), W + 4_000);
            restored.processWatermark(WINDOW_END + LATENESS.toMillis());

            List<KpiRow> rows = rows(restored);
            assertThat(rows).extracting(KpiRow::firing).containsExactly(Firing.LATE, Firing.FINAL);
            assertThat(rows.get(0).version()).isGreaterThan(lastVersion);
            assertThat(rows.get(1).version()).isGreaterThan(rows.get(0).version());
            assertThat(rows.get(1).counters()[REQUESTS])
                    .as("the final firing carries the event the late firing had not")
                    .isEqualTo(4);
        }
    }

    /**
     * The job redeployed from its checkpoint with a fix and the next generation: an open window's
     * rows carry the new generation and win over every row the old generation wrote, and the
     * emission count goes on.
     */
    @Test
    void aRedeployWithANewGenerationWritesRowsThatWinOverTheOldOnes() throws Exception {
        OperatorSubtaskState snapshot;
        KpiRow lastOfTheOldGeneration;
        try (var harness = harness()) {
            harness.setProcessingTime(0);
            harness.processElement(partial(200), W + 1_000);
            harness.setProcessingTime(5_000);
            snapshot = harness.snapshot(1, 5_000);
            lastOfTheOldGeneration = rows(harness).get(rows(harness).size() - 1);
        }
        try (var restored = harness(snapshot, 3)) {
            restored.setProcessingTime(5_000);
            restored.processElement(partial(200), W + 2_000);
            restored.setProcessingTime(10_000);

            KpiRow first = rows(restored).get(0);
            assertThat(first.generation()).isEqualTo(3);
            assertThat(KpiVersion.generation(first.version())).isEqualTo(3);
            assertThat(KpiVersion.count(first.version()))
                    .isEqualTo(KpiVersion.count(lastOfTheOldGeneration.version()) + 1);
            assertThat(first.version()).isGreaterThan(lastOfTheOldGeneration.version());
            assertThat(lastOfTheOldGeneration.generation()).isZero();
        }
    }

    @Test
    void aWindowMadeFinalBeforeARestoreStaysFinalBeforeTheFirstWatermark() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness()) {
            harness.processElement(partial(200), W + 1_000);
            harness.processWatermark(WINDOW_END + LATENESS.toMillis());
            snapshot = harness.snapshot(1, 0);
        }
        try (var restored = harness(snapshot)) {
            restored.processElement(partial(503), W + 2_000);
            restored.processWatermark(WINDOW_END + LATENESS.toMillis() + 1);

            assertThat(rows(restored)).as("no partial window re-opened").isEmpty();
            assertThat(restored.getSideOutput(KpiWindowFunction.HISTORY)).isNull();
            assertThat(restored.getSideOutput(KpiWindowFunction.TOO_LATE)).hasSize(1);
        }
    }

    /** Window state entries left in RocksDB (timers are kept elsewhere). */
    private static int windowStates(
            KeyedOneInputStreamOperatorTestHarness<KpiKey, KpiPartial, KpiRow> harness)
            throws Exception {
        var backend = (RocksDBKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend();
        return (int) backend.getKeys("kpi-window", VoidNamespace.INSTANCE).count();
    }

    private static KpiPartial partial(int... statuses) {
        KpiAggregate aggregate = KpiAggregate.empty(Grain.SERVICE);
        KpiKey key = null;
        for (int status : statuses) {
            RequestEvent event = RequestEvents.gateway().status(status).build();
            key = KpiKey.of(Grain.SERVICE, event);
            aggregate.add(event);
        }
        return KpiPartial.of(key, aggregate);
    }

    private static List<KpiRow> rows(
            KeyedOneInputStreamOperatorTestHarness<KpiKey, KpiPartial, KpiRow> harness) {
        return harness.extractOutputValues();
    }

    private static KeyedOneInputStreamOperatorTestHarness<KpiKey, KpiPartial, KpiRow> harness()
            throws Exception {
        return harness(null, 0);
    }

    private static KeyedOneInputStreamOperatorTestHarness<KpiKey, KpiPartial, KpiRow> harness(
            OperatorSubtaskState restoreFrom) throws Exception {
        return harness(restoreFrom, 0);
    }

    private static KeyedOneInputStreamOperatorTestHarness<KpiKey, KpiPartial, KpiRow> harness(
            OperatorSubtaskState restoreFrom, int generation) throws Exception {
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new KpiWindowFunction(
                                        new WindowSettings(
                                                EARLY, LATENESS, -1, "127.0.0.1", generation))),
                        KpiPartial::key,
                        TypeInformation.of(KpiKey.class));
        harness.setStateBackend(new EmbeddedRocksDBStateBackend(true));
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
        return harness;
    }
}
