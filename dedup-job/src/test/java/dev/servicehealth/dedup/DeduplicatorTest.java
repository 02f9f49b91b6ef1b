package dev.servicehealth.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.model.AuthOutcome;
import dev.servicehealth.model.EventCodec;
import dev.servicehealth.model.EventKind;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.RequestEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBKeyedStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeduplicatorTest {
    private static final Duration RETENTION = Duration.ofMinutes(30);

    @BeforeAll
    static void countMeters() {
        Metrics.addRegistry(new SimpleMeterRegistry());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rocksdb", "hashmap"})
    void dropsLaterCopiesWithinTheRetentionAndKeepsTheFirst(String backend) throws Exception {
        try (var harness = harness(backend)) {
            harness.setStateTtlProcessingTime(0);
            RequestEvent first = gateway("r-1").ingestTime(1_000).build();
            RequestEvent redelivered = gateway("r-1").ingestTime(95_000).build();
            RequestEvent other = gateway("r-2").build();
            RequestEvent sameIdOtherSource =
                    RequestEvents.auth(AuthOutcome.SUCCESS).requestId("r-1").build();
            double before = duplicates("gateway");

            harness.processElement(record(first));
            harness.setStateTtlProcessingTime(RETENTION.toMillis() - 1);
            harness.processElement(record(redelivered));
            harness.processElement(record(other));
            harness.processElement(record(sameIdOtherSource));
            harness.processElement(record(first));

            assertThat(requestIds(harness.extractOutputValues()))
                    .containsExactly("GATEWAY:r-1", "GATEWAY:r-2", "AUTH:r-1");
            assertThat(EventCodec.decodeRequest(harness.extractOutputValues().get(0).value()))
                    .as("the first copy is the one kept")
                    .isEqualTo(first);
            assertThat(duplicates("gateway") - before).isEqualTo(2);
        }
    }

    /**
     * A backlog read raw partition by raw partition can hand this job a retry, whose clock is past
     * its window's lateness bound, before the original, whose clock is not: the original is the
     * copy kept, so the event counts as it would have in real time.
     */
    @ParameterizedTest
    @ValueSource(strings = {"rocksdb", "hashmap"})
    void aTooLateCopyWaitsForTheClockAndAnEarlierCopyReadLaterWins(String backend)
            throws Exception {
        long eventTime = 1_795_341_630_000L; // window ends 1_795_341_659_999
        long bound = 1_795_341_659_999L + 600_000;
        try (var harness = harness(backend)) {
            harness.processWatermark(bound - 60_000);
            harness.processElement(clocked("r-late", eventTime, bound + 180_000));
            harness.processElement(clocked("r-gone", eventTime, bound + 5_000));
            assertThat(harness.extractOutputValues()).as("both held").isEmpty();

            harness.processElement(clocked("r-late", eventTime, bound - 30_000));
            assertThat(harness.numEventTimeTimers()).as("only r-gone is still held").isEqualTo(1);
            assertThat(harness.extractOutputValues())
                    .as("the original, in time, is written at once")
                    .extracting(NormalizedEvent::clockMs)
                    .containsExactly(bound - 30_000);

            harness.processElement(clocked("r-gone", eventTime, bound + 2_000));
            harness.processWatermark(bound + 3_000);
            assertThat(harness.extractOutputValues())
                    .as("the clock passed the held copy: no earlier one can come any more")
                    .extracting(NormalizedEvent::clockMs)
                    .containsExactly(bound - 30_000, bound + 2_000);
            assertThat(harness.numEventTimeTimers())
                    .as("the replaced copy's timer went with it")
                    .isZero();

            harness.processWatermark(bound + 200_000);
            assertThat(harness.extractOutputValues()).hasSize(2);
        }
    }

    @Test
    void aCopyWithDifferentContentIsDroppedAndCountedAsConflict() throws Exception {
        try (var harness = harness("rocksdb")) {
            double conflictsBefore = conflicts("gateway");
            double duplicatesBefore = duplicates("gateway");
            RequestEvent first = gateway("r-9").status(200).build();
            RequestEvent conflicting = gateway("r-9").status(503).build();

            harness.processElement(record(first));
            harness.processElement(record(conflicting));
            harness.processElement(record(gateway("r-9").status(200).ingestTime(7).build()));

            assertThat(harness.extractOutputValues()).hasSize(1);
            assertThat(EventCodec.decodeRequest(harness.extractOutputValues().get(0).value()))
                    .isEqualTo(first);
            assertThat(conflicts("gateway") - conflictsBefore).isEqualTo(1);
            assertThat(duplicates("gateway") - duplicatesBefore).isEqualTo(2);
        }
    }

    @Test
    void stateIsClearedAfterTheRetentionAndALaterCopyPassesAsNew() throws Exception {
        try (var harness = harness("rocksdb")) {
            harness.setStateTtlProcessingTime(0);
            List<RequestEvent> events =
                    IntStream.range(0, 500).mapToObj(i -> gateway("r-" + i).build()).toList();
            for (RequestEvent event : events) {
                harness.processElement(record(event));
            }
            assertThat(entries(harness)).isEqualTo(500);

            harness.setStateTtlProcessingTime(RETENTION.toMillis() + 1);
            compact(harness);

            assertThat(entries(harness))
                    .as("RocksDB's compaction filter removed every expired identity")
                    .isZero();
            harness.processElement(record(events.get(0)));
            assertThat(harness.extractOutputValues())
                    .as("a copy after the retention is not recognised")
                    .hasSize(501);
        }
    }

    @Test
    void expiredEntriesAreNeverReadEvenBeforeCompaction() throws Exception {
        try (var harness = harness("rocksdb")) {
            harness.setStateTtlProcessingTime(0);
            harness.processElement(record(gateway("r-1").build()));
            harness.setStateTtlProcessingTime(RETENTION.toMillis());
            harness.processElement(record(gateway("r-1").build()));
            assertThat(harness.extractOutputValues()).hasSize(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rocksdb", "hashmap"})
    void behavesTheSameAfterSnapshotAndRestore(String backend) throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness(backend)) {
            harness.setStateTtlProcessingTime(0);
            for (int i = 0; i < 100; i++) {
                harness.processElement(record(gateway("r-" + i).build()));
            }
            snapshot = harness.snapshot(1L, 1L);
        }
        try (var restored = harness(backend, snapshot)) {
            restored.setStateTtlProcessingTime(60_000);
            assertThat(entries(restored)).isEqualTo(100);
            for (int i = 50; i < 150; i++) {
                restored.processElement(record(gateway("r-" + i).ingestTime(9).build()));
            }
            assertThat(requestIds(restored.extractOutputValues()))
                    .as("copies of events before the snapshot are still dropped")
                    .containsExactlyElementsOf(
                            IntStream.range(100, 150).mapToObj(i -> "GATEWAY:r-" + i).toList());

            if (backend.equals("rocksdb")) {
                restored.setStateTtlProcessingTime(RETENTION.toMillis() + 60_001);
                compact(restored);
                assertThat(entries(restored))
                        .as("restored entries keep their original expiry")
                        .isZero();
            }
        }
    }

    @Test
    void metricSamplesAndStatusEventsAreKeyedByTheirOwnIdentity() throws Exception {
        try (var harness = harness("rocksdb")) {
            byte[] sampleKey = EventCodec.key("cpu{az=a}@1000");
            byte[] statusKey = EventCodec.key("deploy-42");
            harness.processElement(event(EventKind.METRIC_SAMPLE, sampleKey, new byte[] {1}));
            harness.processElement(event(EventKind.STATUS, sampleKey, new byte[] {1}));
            harness.processElement(event(EventKind.STATUS, statusKey, new byte[] {2}));
            harness.processElement(event(EventKind.METRIC_SAMPLE, sampleKey, new byte[] {1}));
            harness.processElement(event(EventKind.STATUS, statusKey, new byte[] {2}));

            assertThat(harness.extractOutputValues())
                    .extracting(NormalizedEvent::kind)
                    .containsExactly(EventKind.METRIC_SAMPLE, EventKind.STATUS, EventKind.STATUS);
        }
    }

    private static RequestEvents gateway(String requestId) {
        return RequestEvents.gateway().requestId(requestId);
    }

    private static StreamRecord<NormalizedEvent> record(RequestEvent event) {
        return event(EventKind.REQUEST, EventCodec.key(event.dedupKey()), EventCodec.encode(event));
    }

    private static StreamRecord<NormalizedEvent> event(EventKind kind, byte[] key, byte[] value) {
        return new StreamRecord<>(
                new NormalizedEvent(kind, EventIdentity.of(kind, key), key, value, 0L, 0L));
    }

    private static StreamRecord<NormalizedEvent> clocked(
            String requestId, long eventTimeMs, long clockMs) {
        RequestEvent event = gateway(requestId).eventTime(eventTimeMs).build();
        byte[] key = EventCodec.key(event.dedupKey());
        return new StreamRecord<>(
                new NormalizedEvent(
                        EventKind.REQUEST,
                        EventIdentity.of(EventKind.REQUEST, key),
                        key,
                        EventCodec.encode(event),
                        eventTimeMs,
                        clockMs),
                clockMs);
    }

    private static List<String> requestIds(List<NormalizedEvent> events) {
        return events.stream().map(e -> new String(e.key(), StandardCharsets.UTF_8)).toList();
    }

    /** Entries stored, expired or not: RocksDB counts what its files hold. */
    private static int entries(
            KeyedOneInputStreamOperatorTestHarness<EventIdentity, NormalizedEvent, NormalizedEvent>
                    harness) {
        if (harness.getOperator().getKeyedStateBackend()
                instanceof RocksDBKeyedStateBackend<?> rocksDb) {
            return rocksDb.numKeyValueStateEntries();
        }
        return harness.numKeyedStateEntries();
    }

    private static void compact(
            KeyedOneInputStreamOperatorTestHarness<EventIdentity, NormalizedEvent, NormalizedEvent>
                    harness)
            throws Exception {
        RocksDBKeyedStateBackend<?> backend =
                (RocksDBKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend();
        ValueStateDescriptor<Long> descriptor =
                new ValueStateDescriptor<>(Deduplicator.STATE_NAME, Types.LONG);
        descriptor.enableTimeToLive(Deduplicator.ttl(RETENTION));
        backend.compactState(descriptor);
    }

    private static KeyedOneInputStreamOperatorTestHarness<
                    EventIdentity, NormalizedEvent, NormalizedEvent>
            harness(String backend) throws Exception {
        return harness(backend, null);
    }

    private static KeyedOneInputStreamOperatorTestHarness<
                    EventIdentity, NormalizedEvent, NormalizedEvent>
            harness(String backend, OperatorSubtaskState restoreFrom) throws Exception {
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new Deduplicator(RETENTION, -1, "127.0.0.1")),
                        NormalizedEvent::identity,
                        EventIdentityTypeInfo.INSTANCE);
        StateBackend stateBackend =
                backend.equals("rocksdb")
                        ? new EmbeddedRocksDBStateBackend(true)
                        : new HashMapStateBackend();
        harness.setStateBackend(stateBackend);
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
        return harness;
    }

    private static double duplicates(String source) {
        return count("dedup.duplicates.dropped", source);
    }

    private static double conflicts(String source) {
        return count("dedup.conflicts", source);
    }

    private static double count(String name, String source) {
        Counter counter =
                Metrics.globalRegistry
                        .find(name)
                        .tags("kind", "request", "source", source)
                        .counter();
        return counter == null ? 0 : counter.count();
    }
}
