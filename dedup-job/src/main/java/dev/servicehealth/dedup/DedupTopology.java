package dev.servicehealth.dedup;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The dedup pipeline as a function from normalized events to first copies; the job wires it between
 * Kafka, tests between their own sources and sinks.
 *
 * <p>Keyed by event identity, never by tenant: a hot tenant's events spread over all subtasks.
 */
public final class DedupTopology {
    private DedupTopology() {}

    /**
     * @param lane which kind of event {@code events} holds, for the operator's name and uid: the
     *     job deduplicates each kind in a lane of its own, so each keeps its own clock
     */
    public static DataStream<NormalizedEvent> build(
            DataStream<NormalizedEvent> events, DedupSettings settings, String lane) {
        return events.keyBy(NormalizedEvent::identity)
                .process(
                        new Deduplicator(
                                settings.retention(),
                                settings.metricsPort(),
                                settings.metricsBindAddress()))
                .uid("dedup-job.first-copy-" + lane)
                .name("first-copy-wins-" + lane);
    }

    /** What the dedup operator needs to know. */
    public record DedupSettings(Duration retention, int metricsPort, String metricsBindAddress)
            implements Serializable {}
}
