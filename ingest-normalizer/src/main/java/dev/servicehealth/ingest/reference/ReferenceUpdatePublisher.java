package dev.servicehealth.ingest.reference;

import dev.servicehealth.model.Topics;
import dev.servicehealth.model.reference.ReferenceData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes reference-data overrides to the compacted reference topic, where running normalizers
 * pick them up without a restart:
 *
 * <pre>
 * ReferenceUpdatePublisher --bootstrap-servers HOST:PORT [--topic T] \
 *     tenant:ACME=STANDARD  endpoint:/services/new/{id}='Platform|core-api'  tenant:ACME=
 * </pre>
 *
 * An empty value removes the override (a tombstone). Entries are validated before anything is sent.
 */
public final class ReferenceUpdatePublisher {
    private ReferenceUpdatePublisher() {}

    public static void main(String[] args) {
        String bootstrap = null;
        String topic = Topics.REFERENCE_UPDATES;
        List<ReferenceUpdate> updates = new ArrayList<>();
        ReferenceOverlay validator = new ReferenceOverlay(ReferenceData.bundled());
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--bootstrap-servers" -> bootstrap = args[++i];
                    case "--topic" -> topic = args[++i];
                    default -> updates.add(parse(args[i], validator));
                }
            }
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            updates.clear();
            System.err.println("invalid: " + e.getMessage());
        }
        if (bootstrap == null || updates.isEmpty()) {
            System.err.println(
                    "usage: ReferenceUpdatePublisher --bootstrap-servers HOST:PORT [--topic T]"
                            + " tenant:<id>=<TIER> | endpoint:<template>=<product>|<service> ...");
            System.exit(2);
        }
        try {
            publish(bootstrap, topic, updates);
        } catch (Exception e) {
            System.err.println("not published to " + topic + ": " + rootCause(e));
            System.exit(1);
        }
        System.out.println("published " + updates.size() + " update(s) to " + topic);
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.toString();
    }

    /** Parses {@code key=value}; an empty value is a removal. Validates like the normalizer. */
    static ReferenceUpdate parse(String entry, ReferenceOverlay validator) {
        int eq = entry.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("expected key=value, got '" + entry + "'");
        }
        String value = entry.substring(eq + 1);
        ReferenceUpdate update =
                new ReferenceUpdate(entry.substring(0, eq), value.isEmpty() ? null : value);
        validator.apply(update);
        return update;
    }

    public static void publish(String bootstrap, String topic, List<ReferenceUpdate> updates)
            throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // an operator at a terminal: fail in seconds, not after the default minute
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ReferenceUpdate update : updates) {
                producer.send(
                                new ProducerRecord<>(
                                        topic,
                                        update.key().getBytes(StandardCharsets.UTF_8),
                                        update.value() == null
                                                ? null
                                                : update.value().getBytes(StandardCharsets.UTF_8)))
                        .get();
            }
        }
    }
}
