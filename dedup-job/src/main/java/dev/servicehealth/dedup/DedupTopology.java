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

    public static DataStream<NormalizedEvent> build(
            DataStream<NormalizedEvent> events, DedupSettings settings) {
        return events.keyBy(NormalizedEvent::identity)
                .process(
                        new Deduplicator(
                                settings.retention(),
                                settings.metricsPort(),
                                settings.metricsBindAddress()))
                .uid("dedup-job.first-copy")
                .name("first-copy-wins");
    }

    /** What the dedup operator needs to know. */
    public record DedupSettings(Duration retention, int metricsPort, String metricsBindAddress)
            implements Serializable {}
}
