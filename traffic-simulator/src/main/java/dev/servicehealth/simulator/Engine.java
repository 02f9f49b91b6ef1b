package dev.servicehealth.simulator;

import dev.servicehealth.model.reference.ReferenceData;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Advances simulated time in ticks of {@value #TICK_MS} ms. Each tick first generates what happens
 * in it (requests evenly spaced at the configured rate, metric scrapes, status events), then hands
 * out every scheduled record due before the tick ends, ordered by emission time and then by
 * scheduling order. Generators never schedule a record before the current tick, so emission times
 * never decrease, and never at or after the run's end, so the run is bounded.
 */
final class Engine implements Iterator<SimulatedRecord> {
    static final long TICK_MS = 100;

    private static final class Pending {
        final long emitMs;
        final long sequence;
        final RawTopic topic;
        final SimulatedRecord record;
        final LogicalRequest firstOf;
        final boolean duplicate;

        Pending(
                long emitMs,
                long sequence,
                RawTopic topic,
                SimulatedRecord record,
                LogicalRequest firstOf,
                boolean duplicate) {
            this.emitMs = emitMs;
            this.sequence = sequence;
            this.topic = topic;
            this.record = record;
            this.firstOf = firstOf;
            this.duplicate = duplicate;
        }
    }

    private final SimulatorConfig config;
    private final long startMs;
    private final long endMs;
    private final long metricsIntervalMs;
    private static final Comparator<Pending> ORDER =
            Comparator.<Pending>comparingLong(p -> p.emitMs).thenComparingLong(p -> p.sequence);

    private final PriorityQueue<Pending> scheduled = new PriorityQueue<>(ORDER);
    private final ArrayDeque<Pending> current = new ArrayDeque<>();
    private final ArrayDeque<Pending> due = new ArrayDeque<>();
    private final List<ScenarioTimeline.PlannedStatus> plannedStatuses;
    private final RequestGenerator requests;
    private final MetricsGenerator metrics;
    private final StatusGenerator statuses;
    private final GroundTruthRecorder truth;
    private long sequence;
    private long tickStart;
    private long tickEnd;
    private long requestsGenerated;
    private int nextPlannedStatus;
    private long nextScrapeMs;

    Engine(SimulatorConfig config, ReferenceData reference) {
        this.config = config;
        this.startMs = config.startMs();
        this.endMs = config.endMs();
        this.metricsIntervalMs = config.metricsInterval().toMillis();
        Dice root = new Dice(config.seed());
        TrafficModel model = new TrafficModel(reference, root.split());
        long maxJitterMs = config.maxJitter().toMillis();
        ScenarioTimeline timeline =
                new ScenarioTimeline(
                        config.scenario(), startMs, endMs, model.hottest(), maxJitterMs);
        List<ScenarioTimeline.Stall> stalls = new ArrayList<>(timeline.plannedStalls());
        stalls.addAll(randomStalls(root.split(), maxJitterMs));
        this.plannedStatuses = timeline.plannedStatuses();
        Schedule schedule = this::schedule;
        this.requests =
                new RequestGenerator(config, model, timeline, stalls, root.split(), schedule);
        this.metrics = new MetricsGenerator(config, model, timeline, root.split(), schedule);
        this.statuses = new StatusGenerator(config, model, root.split(), schedule);
        this.truth =
                new GroundTruthRecorder(
                        config.detail(), timeline.phases(), model.hottest().endpoints());
        this.tickStart = startMs;
        // Align scrapes to the interval, as Prometheus does.
        this.nextScrapeMs =
                Math.floorDiv(startMs + metricsIntervalMs - 1, metricsIntervalMs)
                        * metricsIntervalMs;
    }

    /**
     * Forwarder stalls at random instants: each holds one region/AZ's lines for 1 minute up to
     * {@link Lateness#MAX_WITHIN_BOUND} less the jitter and a second of margin (so event-time
     * rounding can never push a line into the gap), and flushes them together before the run ends.
     */
    private List<ScenarioTimeline.Stall> randomStalls(Dice dice, long maxJitterMs) {
        List<ScenarioTimeline.Stall> stalls = new ArrayList<>();
        double expected =
                config.dirt().rate(Dirt.LATE_FLUSH) * config.duration().toMillis() / 3_600_000.0;
        long minHeld = 60_000;
        long maxHeld = Lateness.MAX_WITHIN_BOUND.toMillis() - maxJitterMs - 1_000;
        // Poisson count by inversion keeps the draw count small and deterministic.
        int count = 0;
        double p = StrictMath.exp(-expected);
        double cumulative = p;
        double u = dice.uniform();
        while (u > cumulative && count < 10_000) {
            count++;
            p *= expected / count;
            cumulative += p;
        }
        for (int i = 0; i < count; i++) {
            long held = dice.between(minHeld, maxHeld);
            var region = TrafficModel.REGIONS.get(dice.index(TrafficModel.REGIONS.size()));
            String az = TrafficModel.availabilityZones(region).get(dice.index(3));
            long latestFrom = endMs - held - 1;
            if (latestFrom <= startMs) {
                continue;
            }
            long from = dice.between(startMs, latestFrom);
            stalls.add(new ScenarioTimeline.Stall(region, az, from, from + held));
        }
        return stalls;
    }

    private void schedule(
            long emitMs,
            RawTopic topic,
            byte[] key,
            byte[] value,
            Expectation expectation,
            LogicalRequest firstOf,
            boolean duplicate) {
        if (emitMs < tickStart || emitMs >= endMs) {
            throw new IllegalStateException(
                    "scheduled at " + emitMs + " outside [" + tickStart + ", " + endMs + ")");
        }
        SimulatedRecord record =
                new SimulatedRecord(config.topics().name(topic), key, value, emitMs, expectation);
        Pending pending = new Pending(emitMs, sequence++, topic, record, firstOf, duplicate);
        // Most records are due in the current tick and arrive in emission order: they skip the
        // priority queue and are merged with it when the tick ends.
        if (emitMs < tickEnd && (current.isEmpty() || current.peekLast().emitMs <= emitMs)) {
            current.add(pending);
        } else {
            scheduled.add(pending);
        }
    }

    @Override
    public boolean hasNext() {
        while (due.isEmpty() && tickStart < endMs) {
            tick();
        }
        return !due.isEmpty();
    }

    @Override
    public SimulatedRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Pending next = due.poll();
        truth.record(next.topic, next.record.expectation(), next.firstOf, next.duplicate);
        return next.record;
    }

    GroundTruth groundTruth() {
        return truth.snapshot();
    }

    private void tick() {
        tickEnd = Math.min(tickStart + TICK_MS, endMs);
        while (nextPlannedStatus < plannedStatuses.size()
                && plannedStatuses.get(nextPlannedStatus).timeMs() < tickEnd) {
            statuses.planned(plannedStatuses.get(nextPlannedStatus++));
        }
        statuses.background(tickEnd);
        while (nextScrapeMs < tickEnd) {
            metrics.scrape(nextScrapeMs);
            nextScrapeMs += metricsIntervalMs;
        }
        // The target count is computed from the elapsed time, not accumulated, so rounding never
        // drifts over a long run.
        long target = (long) Math.floor((tickEnd - startMs) * config.eventsPerSecond() / 1000.0);
        long count = target - requestsGenerated;
        long width = tickEnd - tickStart;
        for (long i = 0; i < count; i++) {
            requests.request(tickStart + i * width / count);
        }
        requestsGenerated = target;
        while (!current.isEmpty() || (!scheduled.isEmpty() && scheduled.peek().emitMs < tickEnd)) {
            Pending queued = scheduled.peek();
            boolean fromQueue =
                    queued != null
                            && queued.emitMs < tickEnd
                            && (current.isEmpty() || ORDER.compare(queued, current.peek()) < 0);
            due.add(fromQueue ? scheduled.poll() : current.poll());
        }
        tickStart = tickEnd;
    }
}
