package dev.servicehealth.ingest.normalize;

import dev.servicehealth.model.EventTimePolicy;
import dev.servicehealth.model.catalog.PipelineMetric;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clock of each raw partition this subtask reads: its newest Kafka timestamp minus the
 * out-of-orderness, exactly the watermark Flink's source makes of that partition. Each normalized
 * record carries the clock of its partition as of the record as its Kafka timestamp, so whether it
 * is too late is decided by the raw data alone, not by how fast any job read (decision 0009). The
 * newest timestamps are checkpointed, so a restored subtask stamps as it would have.
 *
 * <p>Events too late for their window by that clock are counted per raw partition. A partition
 * without records for the idleness timeout no longer holds the watermark back; it is logged by name
 * when it goes idle and when it comes back, and its lag is a meter.
 */
final class RawPartitionClocks {
    private static final Logger LOG = LoggerFactory.getLogger(RawPartitionClocks.class);
    private static final long ALLOWED_LATENESS_MS = EventTimePolicy.ALLOWED_LATENESS.toMillis();

    private final long outOfOrdernessMs;
    private final long maxFutureSkewMs;
    private final List<Meter> meters = new ArrayList<>();
    private final long idlenessMs;
    private final MeterRegistry registry;
    private final Map<String, Map<Integer, PartitionState>> byTopic = new HashMap<>();
    private final Map<RestoredKey, Long> restored = new HashMap<>();
    private PartitionState current;
    private volatile long watermark = Long.MIN_VALUE;

    /** What a checkpoint keeps of one raw partition. */
    public record PartitionClock(String topic, int partition, long newestTimestampMs) {}

    /**
     * @param registry where the per-partition meters go
     */
    RawPartitionClocks(
            long outOfOrdernessMs, long idlenessMs, long maxFutureSkewMs, MeterRegistry registry) {
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.maxFutureSkewMs = maxFutureSkewMs;
        this.idlenessMs = idlenessMs;
        this.registry = registry;
    }

    /**
     * Takes a partition's clock from the checkpoint (each subtask gets all of them, since
     * partitions may have moved); it applies once this subtask reads that partition.
     */
    void restore(PartitionClock clock) {
        restored.merge(
                new RestoredKey(clock.topic(), clock.partition()),
                clock.newestTimestampMs(),
                Math::max);
    }

    List<PartitionClock> snapshot() {
        List<PartitionClock> clocks = new ArrayList<>();
        restored.forEach(
                (key, newest) ->
                        clocks.add(new PartitionClock(key.topic(), key.partition(), newest)));
        byTopic.forEach(
                (topic, partitions) ->
                        partitions.forEach(
                                (partition, state) -> {
                                    if (state.newestMs > Long.MIN_VALUE) {
                                        clocks.add(
                                                new PartitionClock(
                                                        topic, partition, state.newestMs));
                                    }
                                }));
        return clocks;
    }

    /** Advances the record's partition and returns its clock as of the record. */
    long advance(RawRecord raw, long now) {
        PartitionState state = state(raw.topic(), raw.partition());
        current = state;
        // a producer's clock far ahead must not drag every partition's windows to final
        state.newestMs =
                Math.max(state.newestMs, Math.min(raw.timestampMs(), now + maxFutureSkewMs));
        state.lastRecordAtMs = now;
        if (state.idle) {
            state.idle = false;
            LOG.info(
                    "raw partition {}-{} sends again after {} s idle; its records from here may"
                            + " be behind the watermark",
                    raw.topic(),
                    raw.partition(),
                    (now - state.idleSinceMs) / 1000);
        }
        return state.watermark();
    }

    /**
     * Counts an event of the record last {@link #advance advanced} if it came too late for its
     * window by that record's clock ({@link EventTimePolicy#isTooLate}).
     */
    void eventOut(long eventTimeMs) {
        if (EventTimePolicy.isTooLate(eventTimeMs, current.watermark(), ALLOWED_LATENESS_MS)) {
            current.tooLate.increment();
        }
    }

    /** Names the partitions that went idle, and keeps the subtask's watermark for the gauges. */
    void check(long now, long currentWatermark) {
        watermark = currentWatermark;
        byTopic.forEach(
                (topic, partitions) ->
                        partitions.forEach(
                                (partition, state) -> {
                                    if (!state.idle
                                            && state.lastRecordAtMs > 0
                                            && now - state.lastRecordAtMs >= idlenessMs) {
                                        state.idle = true;
                                        state.idleSinceMs = state.lastRecordAtMs;
                                        LOG.warn(
                                                "raw partition {}-{} has sent nothing for {} s:"
                                                        + " idle, the pipeline clock moves on"
                                                        + " without it (watermark {} ms behind"
                                                        + " real time)",
                                                topic,
                                                partition,
                                                (now - state.lastRecordAtMs) / 1000,
                                                now - state.watermark());
                                    }
                                }));
    }

    private PartitionState state(String topic, int partition) {
        Map<Integer, PartitionState> partitions =
                byTopic.computeIfAbsent(topic, t -> new HashMap<>());
        PartitionState state = partitions.get(partition);
        if (state == null) {
            state = new PartitionState(tooLateCounter(topic, partition));
            state.newestMs =
                    restored.getOrDefault(new RestoredKey(topic, partition), Long.MIN_VALUE);
            partitions.put(partition, state);
            register(topic, partition, state);
        }
        return state;
    }

    private Counter tooLateCounter(String topic, int partition) {
        Counter counter =
                Counter.builder(PipelineMetric.NORMALIZER_TOO_LATE_EVENTS.meterName())
                        .description(PipelineMetric.NORMALIZER_TOO_LATE_EVENTS.description())
                        .tag("topic", topic)
                        .tag("partition", Integer.toString(partition))
                        .register(registry);
        meters.add(counter);
        return counter;
    }

    private void register(String topic, int partition, PartitionState state) {
        String partitionTag = Integer.toString(partition);
        meters.add(
                Gauge.builder(
                                PipelineMetric.NORMALIZER_RAW_PARTITION_LAG.meterName(),
                                state,
                                s ->
                                        s.newestMs == Long.MIN_VALUE
                                                ? Double.NaN
                                                : System.currentTimeMillis() - s.watermark())
                        .description(PipelineMetric.NORMALIZER_RAW_PARTITION_LAG.description())
                        .tag("topic", topic)
                        .tag("partition", partitionTag)
                        .register(registry));
        meters.add(
                Gauge.builder(
                                PipelineMetric.NORMALIZER_RAW_PARTITION_BEHIND.meterName(),
                                state,
                                s ->
                                        s.newestMs == Long.MIN_VALUE || watermark == Long.MIN_VALUE
                                                ? 0
                                                : Math.max(0, watermark - s.watermark()))
                        .description(PipelineMetric.NORMALIZER_RAW_PARTITION_BEHIND.description())
                        .tag("topic", topic)
                        .tag("partition", partitionTag)
                        .register(registry));
    }

    /**
     * Removes this subtask's meters: the gauges hold their partition weakly, and a task restarted
     * in the same JVM must register its own.
     */
    void close() {
        meters.forEach(registry::remove);
        meters.clear();
    }

    private record RestoredKey(String topic, int partition) {}

    private final class PartitionState {
        final Counter tooLate;
        long newestMs = Long.MIN_VALUE;
        long lastRecordAtMs;
        long idleSinceMs;
        boolean idle;

        PartitionState(Counter tooLate) {
            this.tooLate = tooLate;
        }

        long watermark() {
            // never before the epoch: it is the Kafka timestamp of what the partition's records
            // become
            return newestMs == Long.MIN_VALUE
                    ? Long.MIN_VALUE
                    : Math.max(0, newestMs - outOfOrdernessMs - 1);
        }
    }
}
