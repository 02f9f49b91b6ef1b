package dev.servicehealth.ingest.remotewrite;

import dev.servicehealth.model.Topics;
import dev.servicehealth.model.remotewrite.RemoteWriteCodec;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of a {@link RemoteWriteReceiver}; immutable and validated on construction.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param topic the raw metrics topic the bodies are written to
 * @param bindAddress the interface to listen on: 127.0.0.1 by default; a deployment sets the pod's
 *     address (or 0.0.0.0) so that Prometheus servers elsewhere can reach it
 * @param port the TCP port; 0 picks a free one
 * @param maxBodyBytes largest accepted body as sent (compressed). Must not exceed what the topic
 *     accepts ({@code max.message.bytes}, about 1 MiB by default), or large bodies are answered 413
 *     after Kafka refuses them
 * @param maxUncompressedBytes largest uncompressed size a body may declare in its snappy header
 * @param kafkaTimeout how long one request may wait for Kafka metadata and, separately, for the
 *     acknowledgement; keep twice this below the sender's {@code remote_timeout} (30 s by default)
 *     so the sender gets a 503 rather than timing out itself
 * @param handlerThreads requests handled concurrently; each waits for its Kafka acknowledgement
 */
public record RemoteWriteReceiverConfig(
        String bootstrapServers,
        String topic,
        String bindAddress,
        int port,
        int maxBodyBytes,
        int maxUncompressedBytes,
        Duration kafkaTimeout,
        int handlerThreads) {

    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_PORT = 9201;
    public static final int DEFAULT_MAX_BODY_BYTES = 1_000_000;
    public static final Duration DEFAULT_KAFKA_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_HANDLER_THREADS = 16;

    private static final Set<String> ARGUMENT_KEYS =
            Set.of("bootstrap-servers", "topic", "bind-address", "port");

    public RemoteWriteReceiverConfig {
        requireText(bootstrapServers, "bootstrapServers");
        requireText(topic, "topic");
        requireText(bindAddress, "bindAddress");
        Objects.requireNonNull(kafkaTimeout, "kafkaTimeout");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (maxBodyBytes <= 0 || maxUncompressedBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes and maxUncompressedBytes must be > 0");
        }
        // The producer splits the timeout between request and delivery; below one second
        // the broker round trip itself would not fit.
        if (kafkaTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("kafkaTimeout must be >= 1s, was " + kafkaTimeout);
        }
        if (handlerThreads <= 0) {
            throw new IllegalArgumentException("handlerThreads must be > 0, was " + handlerThreads);
        }
    }

    /** Defaults for everything but the Kafka cluster, the topic and the port. */
    public static RemoteWriteReceiverConfig of(String bootstrapServers, String topic, int port) {
        return new RemoteWriteReceiverConfig(
                bootstrapServers,
                topic,
                DEFAULT_BIND_ADDRESS,
                port,
                DEFAULT_MAX_BODY_BYTES,
                RemoteWriteCodec.DEFAULT_MAX_UNCOMPRESSED_BYTES,
                DEFAULT_KAFKA_TIMEOUT,
                DEFAULT_HANDLER_THREADS);
    }

    /** The same settings with another Kafka timeout. */
    public RemoteWriteReceiverConfig withKafkaTimeout(Duration timeout) {
        return new RemoteWriteReceiverConfig(
                bootstrapServers,
                topic,
                bindAddress,
                port,
                maxBodyBytes,
                maxUncompressedBytes,
                timeout,
                handlerThreads);
    }

    /** The same settings with another body limit. */
    public RemoteWriteReceiverConfig withMaxBodyBytes(int limit) {
        return new RemoteWriteReceiverConfig(
                bootstrapServers,
                topic,
                bindAddress,
                port,
                limit,
                maxUncompressedBytes,
                kafkaTimeout,
                handlerThreads);
    }

    /**
     * Parses {@code --bootstrap-servers HOST:PORT [--topic NAME] [--bind-address IP] [--port N]};
     * the topic defaults to {@value Topics#RAW_METRICS}, the address to {@value
     * #DEFAULT_BIND_ADDRESS} and the port to {@value #DEFAULT_PORT}.
     *
     * @throws IllegalArgumentException naming the offending key if one is unknown, repeated, lacks
     *     a value or has an invalid value, or if {@code --bootstrap-servers} is missing
     */
    public static RemoteWriteReceiverConfig fromArgs(String... args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String key = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!ARGUMENT_KEYS.contains(key)) {
                throw new IllegalArgumentException(
                        "unknown argument '"
                                + args[i]
                                + "'; expected one of --"
                                + String.join(", --", ARGUMENT_KEYS.stream().sorted().toList()));
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("--" + key + " needs a value");
            }
            if (values.put(key, args[i + 1]) != null) {
                throw new IllegalArgumentException("--" + key + " given twice");
            }
        }
        String bootstrapServers = values.get("bootstrap-servers");
        if (bootstrapServers == null) {
            throw new IllegalArgumentException("--bootstrap-servers is required");
        }
        int port;
        try {
            port = Integer.parseInt(values.getOrDefault("port", String.valueOf(DEFAULT_PORT)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--port must be a number, was " + values.get("port"));
        }
        RemoteWriteReceiverConfig config =
                of(bootstrapServers, values.getOrDefault("topic", Topics.RAW_METRICS), port);
        return new RemoteWriteReceiverConfig(
                config.bootstrapServers(),
                config.topic(),
                values.getOrDefault("bind-address", DEFAULT_BIND_ADDRESS),
                config.port(),
                config.maxBodyBytes(),
                config.maxUncompressedBytes(),
                config.kafkaTimeout(),
                config.handlerThreads());
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
