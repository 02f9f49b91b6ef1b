package dev.servicehealth.simulator;

import java.io.IOException;
import java.util.Map;

/** Where generated or replayed records go: a Kafka cluster or a capture directory. */
public interface RecordSink extends AutoCloseable {

    /** Sends one record; may buffer. Fails if an earlier send failed. */
    void send(CapturedRecord record) throws IOException;

    /**
     * Blocks until everything sent so far is durable (acknowledged or written), and fails if any of
     * it could not be.
     *
     * @return records written so far, per topic
     */
    Map<String, Long> flush() throws IOException;

    /** Flushes and releases the sink. */
    @Override
    void close() throws IOException;
}
