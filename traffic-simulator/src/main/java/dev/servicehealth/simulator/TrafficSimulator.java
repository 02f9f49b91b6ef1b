package dev.servicehealth.simulator;

import dev.servicehealth.model.reference.ReferenceData;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A seeded, deterministic generator of raw records for the four raw topics, with the {@link
 * GroundTruth} of what a correct pipeline makes of them.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>Determinism: the same {@link SimulatorConfig} and reference data give byte-identical
 *       records (topic, key, value, timestamp) in the same order, on any JVM.
 *   <li>Order and bounds: records come in non-decreasing emission time ({@link
 *       SimulatedRecord#timestampMs()}), all within {@code [start, start + duration)}; delays that
 *       would end after the run are not applied.
 *   <li>Lateness: event time precedes emission by at most the configured jitter, except for stalled
 *       forwarders (at most 8 minutes) and beyond-bound deliveries (13 to 30 minutes).
 *   <li>Ground truth reflects exactly the records handed out so far: stopping early (e.g. {@code
 *       records().limit(n)}) gives the truth of those {@code n} records.
 * </ul>
 *
 * <p>One instance produces one run: {@link #records()} and {@link #iterator()} hand out the same,
 * single sequence. Not thread-safe.
 */
public final class TrafficSimulator implements Iterable<SimulatedRecord> {

    /** All records of a run and their ground truth. */
    public record Generation(List<SimulatedRecord> records, GroundTruth groundTruth) {}

    private final SimulatorConfig config;
    private final Engine engine;
    private boolean handedOut;

    /** A simulator over the reference data bundled with health-model. */
    public TrafficSimulator(SimulatorConfig config) {
        this(config, ReferenceData.bundled());
    }

    public TrafficSimulator(SimulatorConfig config, ReferenceData reference) {
        this.config = Objects.requireNonNull(config, "config");
        this.engine = new Engine(config, Objects.requireNonNull(reference, "reference"));
    }

    public SimulatorConfig config() {
        return config;
    }

    /**
     * The run's records in emission order, generated lazily.
     *
     * @throws IllegalStateException if the records were already handed out
     */
    @Override
    public Iterator<SimulatedRecord> iterator() {
        if (handedOut) {
            throw new IllegalStateException("a simulator hands out its records once");
        }
        handedOut = true;
        return engine;
    }

    /** The same sequence as {@link #iterator()}, as a sequential stream. */
    public Stream<SimulatedRecord> records() {
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(
                        iterator(), Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }

    /** The ground truth of the records handed out so far. */
    public GroundTruth groundTruth() {
        return engine.groundTruth();
    }

    /** Generates the whole run in memory: for tests and small runs. */
    public Generation generate() {
        List<SimulatedRecord> records = new ArrayList<>();
        iterator().forEachRemaining(records::add);
        return new Generation(List.copyOf(records), groundTruth());
    }

    /** Shorthand for {@code new TrafficSimulator(config).generate()}. */
    public static Generation generate(SimulatorConfig config) {
        return new TrafficSimulator(config).generate();
    }
}
