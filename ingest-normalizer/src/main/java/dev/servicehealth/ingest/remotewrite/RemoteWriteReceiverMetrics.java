package dev.servicehealth.ingest.remotewrite;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The receiver's counters, one per request outcome, all registered up front so that every outcome
 * is exported (at zero) before it first happens and rate-based alerts never see a gap.
 *
 * <p>Exported by a Prometheus registry as:
 *
 * <pre>
 * remote_write_requests_total{outcome="accepted|rejected_method|...|kafka_error"}
 * remote_write_received_bytes_total{outcome="..."}   compressed body bytes read
 * </pre>
 */
public final class RemoteWriteReceiverMetrics {

    /** Requests by outcome; Prometheus exposition appends {@code _total}. */
    public static final String REQUESTS = "remote_write_requests";

    /** Body bytes read, as sent (snappy-compressed), by outcome. */
    public static final String RECEIVED_BYTES = "remote_write_received_bytes";

    public static final String OUTCOME_TAG = "outcome";

    /** What happened to one request. Only {@link #KAFKA_ERROR} makes Prometheus retry. */
    public enum Outcome {
        /** Written to Kafka and acknowledged by all in-sync replicas; answered 204. */
        ACCEPTED,
        /** Not a POST; answered 405. */
        REJECTED_METHOD,
        /** Content-Type is not remote-write 1.0 protobuf; answered 415. */
        REJECTED_CONTENT_TYPE,
        /** Content-Encoding is not snappy; answered 415. */
        REJECTED_CONTENT_ENCODING,
        /** Body or declared uncompressed size over the limit, or too large for Kafka; 413. */
        REJECTED_TOO_LARGE,
        /** Body is not one valid snappy block; answered 400. */
        REJECTED_BAD_SNAPPY,
        /** Kafka did not acknowledge in time or failed; answered 503 so the sender retries. */
        KAFKA_ERROR;

        /** The value of the {@value #OUTCOME_TAG} tag. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<Outcome, Counter> requests = new EnumMap<>(Outcome.class);
    private final Map<Outcome, Counter> bytes = new EnumMap<>(Outcome.class);

    public RemoteWriteReceiverMetrics(MeterRegistry registry) {
        for (Outcome outcome : Outcome.values()) {
            requests.put(
                    outcome,
                    Counter.builder(REQUESTS)
                            .description("Remote-write requests by outcome")
                            .tag(OUTCOME_TAG, outcome.tag())
                            .register(registry));
            bytes.put(
                    outcome,
                    Counter.builder(RECEIVED_BYTES)
                            .description("Remote-write body bytes read, compressed, by outcome")
                            .tag(OUTCOME_TAG, outcome.tag())
                            .register(registry));
        }
    }

    void record(Outcome outcome, long bodyBytes) {
        requests.get(outcome).increment();
        bytes.get(outcome).increment(bodyBytes);
    }
}
