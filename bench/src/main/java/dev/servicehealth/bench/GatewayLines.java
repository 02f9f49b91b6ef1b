package dev.servicehealth.bench;

import dev.servicehealth.ingest.normalize.RawRecord;
import dev.servicehealth.simulator.GroundTruthDetail;
import dev.servicehealth.simulator.RawTopic;
import dev.servicehealth.simulator.SimulatedRecord;
import dev.servicehealth.simulator.SimulatorConfig;
import dev.servicehealth.simulator.TrafficSimulator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw gateway records as the traffic simulator makes them (seed 42, steady state, default dirt: 5 %
 * drift, about 0.35 % dead-letter material, retries, late flushes), built into {@link RawRecord}s
 * before any measurement starts.
 */
public final class GatewayLines {
    /** The topic the records carry, mapped to the gateway source in every benchmark. */
    public static final String TOPIC = RawTopic.GATEWAY.defaultName();

    /** Simulated gateway requests per second: sets how much event time a run of lines covers. */
    private static final double EVENTS_PER_SECOND = 10_000;

    private GatewayLines() {}

    /**
     * The first {@code count} gateway records of a simulated run that ends a minute before now. The
     * normalizer dead-letters events more than five minutes ahead of its clock, and its event-lag
     * summary should see production-like lags, so the run cannot sit at a fixed instant.
     */
    public static List<RawRecord> generate(int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive, got " + count);
        }
        // a little more simulated time than the lines need: retries and dirt are not gateway lines
        Duration duration = Duration.ofSeconds((long) (count / EVENTS_PER_SECOND) + 60);
        Instant start =
                Instant.now()
                        .truncatedTo(ChronoUnit.SECONDS)
                        .minus(duration)
                        .minus(Duration.ofMinutes(1));
        SimulatorConfig config =
                SimulatorConfig.builder()
                        .start(start)
                        .duration(duration)
                        .eventsPerSecond(EVENTS_PER_SECOND)
                        .detail(GroundTruthDetail.COUNTS)
                        .build();
        List<RawRecord> records = new ArrayList<>(count);
        new TrafficSimulator(config)
                .records()
                .filter(r -> r.topic().equals(TOPIC))
                .limit(count)
                .forEach(r -> records.add(toRaw(r, records.size())));
        if (records.size() < count) {
            throw new IllegalStateException(
                    "the simulator made " + records.size() + " gateway lines, not " + count);
        }
        return List.copyOf(records);
    }

    private static RawRecord toRaw(SimulatedRecord record, long offset) {
        return new RawRecord(
                record.topic(), 0, offset, record.timestampMs(), record.key(), record.value());
    }
}
