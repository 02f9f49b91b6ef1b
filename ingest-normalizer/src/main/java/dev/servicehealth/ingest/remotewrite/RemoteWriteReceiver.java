package dev.servicehealth.ingest.remotewrite;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.servicehealth.ingest.remotewrite.RemoteWriteReceiverMetrics.Outcome;
import dev.servicehealth.model.remotewrite.RemoteWriteCodec;
import dev.servicehealth.model.remotewrite.RemoteWriteFormatException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts Prometheus remote write 1.0 ({@code POST /api/v1/write}) on 127.0.0.1 and writes each
 * request body, byte for byte, as one record to the raw metrics topic.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li><b>No loss once answered 204.</b> A request is answered 204 only after the record was
 *       acknowledged by all in-sync replicas ({@code acks=all}). Any Kafka failure or timeout is
 *       answered 503, which Prometheus retries from its WAL.
 *   <li><b>Duplicates are possible.</b> A retry after a 503 whose record did land (say the
 *       acknowledgement timed out) writes the body again. Idempotence only removes duplicates from
 *       the producer's own retries; consumers de-duplicate by series and timestamp.
 *   <li><b>Order per sender.</b> The record key is the sender's IP address, so all bodies of one
 *       Prometheus share a partition, in the order they were acknowledged. Prometheus sends each
 *       series through one shard, one request at a time, so a series' samples keep their order.
 *       Behind a proxy all senders share the proxy's address, and so one partition.
 *   <li><b>Only bodies that can never be accepted are refused with 4xx</b> (Prometheus drops them):
 *       wrong method (405), wrong Content-Type or Content-Encoding (415), too large (413), not one
 *       valid snappy block (400). The protobuf inside is not decoded here; bodies that fail later
 *       decoding are dead-lettered downstream with their bytes.
 * </ul>
 *
 * <p>Each record carries the header {@value #RECEIVED_AT_HEADER}: the wall-clock time the body was
 * read, in epoch milliseconds as a decimal ASCII string; the record timestamp is the same. {@code
 * GET /-/healthy} answers 200 while the HTTP server runs (liveness, not Kafka health). If the
 * registry passed in is a {@link PrometheusMeterRegistry}, {@code GET /metrics} serves it.
 */
public final class RemoteWriteReceiver implements AutoCloseable {

    public static final String WRITE_PATH = "/api/v1/write";
    public static final String HEALTH_PATH = "/-/healthy";
    public static final String METRICS_PATH = "/metrics";

    /** Record header with the receive time in epoch milliseconds, decimal ASCII. */
    public static final String RECEIVED_AT_HEADER = "received_at_ms";

    private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteReceiver.class);

    private static final String PROTOBUF_MEDIA_TYPE = "application/x-protobuf";

    /** The only {@code proto} parameter of remote write 1.0; 2.0 senders use another. */
    private static final String WRITE_REQUEST_V1_PROTO = "prometheus.WriteRequest";

    /**
     * How long {@link #close} lets requests that already wait for Kafka finish. One that does not
     * finish loses its connection, and the sender retries it: nothing is lost, at worst doubled.
     */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final RemoteWriteReceiverConfig config;
    private final RemoteWriteReceiverMetrics metrics;
    private final Producer<byte[], byte[]> producer;
    private final ExecutorService handlers;
    private final HttpServer server;

    private RemoteWriteReceiver(
            RemoteWriteReceiverConfig config,
            MeterRegistry registry,
            Producer<byte[], byte[]> producer,
            HttpServer server) {
        this.config = config;
        this.metrics = new RemoteWriteReceiverMetrics(registry);
        this.producer = producer;
        this.handlers = Executors.newFixedThreadPool(config.handlerThreads(), handlerThreads());
        this.server = server;
        server.setExecutor(handlers);
        server.createContext(WRITE_PATH, this::handleWrite);
        server.createContext(HEALTH_PATH, this::handleHealth);
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            server.createContext(METRICS_PATH, exchange -> handleMetrics(exchange, prometheus));
        }
    }

    /** Binds 127.0.0.1 on the configured port and starts serving. */
    public static RemoteWriteReceiver start(
            RemoteWriteReceiverConfig config, MeterRegistry registry) throws IOException {
        Producer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(config));
        HttpServer server;
        try {
            server =
                    HttpServer.create(
                            new InetSocketAddress(config.bindAddress(), config.port()), 0);
        } catch (IOException | RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        RemoteWriteReceiver receiver = new RemoteWriteReceiver(config, registry, producer, server);
        server.start();
        return receiver;
    }

    /** The port actually bound, useful when the configured port was 0. */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Stops accepting requests, lets running ones finish for a few seconds, then flushes and closes
     * the producer.
     */
    @Override
    public void close() {
        // JDK 17's stop() waits its full delay even when idle, so keep it short; requests already
        // handed to a handler thread are waited for below.
        server.stop(1);
        handlers.shutdown();
        try {
            handlers.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(SHUTDOWN_GRACE);
    }

    /** Runs a receiver until the JVM is asked to stop (Ctrl-C, SIGTERM). */
    public static void main(String[] args) throws Exception {
        RemoteWriteReceiverConfig config = RemoteWriteReceiverConfig.fromArgs(args);
        RemoteWriteReceiver receiver =
                start(config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        CountDownLatch closed = new CountDownLatch(1);
        // The JVM exits once the hooks return, so the hook itself must finish the close.
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    receiver.close();
                                    closed.countDown();
                                },
                                "remote-write-receiver-shutdown"));
        LOG.info(
                "Remote write receiver on http://127.0.0.1:{}{} writing to topic {}",
                receiver.port(),
                WRITE_PATH,
                config.topic());
        closed.await();
    }

    private void handleWrite(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!WRITE_PATH.equals(exchange.getRequestURI().getPath())) {
                respond(exchange, 404, "not found");
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                reject(exchange, Outcome.REJECTED_METHOD, 405, 0, "remote write needs POST");
                return;
            }
            String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
            if (encoding == null || !encoding.trim().equalsIgnoreCase("snappy")) {
                reject(
                        exchange,
                        Outcome.REJECTED_CONTENT_ENCODING,
                        415,
                        0,
                        "Content-Encoding must be snappy, was " + encoding);
                return;
            }
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (!isRemoteWriteV1(contentType)) {
                reject(
                        exchange,
                        Outcome.REJECTED_CONTENT_TYPE,
                        415,
                        0,
                        "Content-Type must be "
                                + PROTOBUF_MEDIA_TYPE
                                + " (remote write 1.0), was "
                                + contentType);
                return;
            }
            long declaredLength = contentLength(exchange);
            if (declaredLength > config.maxBodyBytes()) {
                reject(
                        exchange,
                        Outcome.REJECTED_TOO_LARGE,
                        413,
                        0,
                        "body of " + declaredLength + " bytes, limit " + config.maxBodyBytes());
                return;
            }
            // One byte over the limit tells a too-large body without Content-Length apart.
            byte[] body = exchange.getRequestBody().readNBytes(config.maxBodyBytes() + 1);
            long receivedAtMs = System.currentTimeMillis();
            if (body.length > config.maxBodyBytes()) {
                reject(
                        exchange,
                        Outcome.REJECTED_TOO_LARGE,
                        413,
                        body.length,
                        "body over the limit of " + config.maxBodyBytes() + " bytes");
                return;
            }
            try {
                RemoteWriteCodec.checkSnappyBlock(body, config.maxUncompressedBytes());
            } catch (RemoteWriteFormatException e) {
                boolean tooLarge =
                        e.reason() == RemoteWriteFormatException.Reason.UNCOMPRESSED_TOO_LARGE;
                reject(
                        exchange,
                        tooLarge ? Outcome.REJECTED_TOO_LARGE : Outcome.REJECTED_BAD_SNAPPY,
                        tooLarge ? 413 : 400,
                        body.length,
                        e.getMessage());
                return;
            }
            produce(exchange, body, receivedAtMs);
        }
    }

    private void produce(HttpExchange exchange, byte[] body, long receivedAtMs) throws IOException {
        RecordHeaders headers = new RecordHeaders();
        headers.add(
                RECEIVED_AT_HEADER,
                Long.toString(receivedAtMs).getBytes(StandardCharsets.US_ASCII));
        byte[] key =
                exchange.getRemoteAddress()
                        .getAddress()
                        .getHostAddress()
                        .getBytes(StandardCharsets.US_ASCII);
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(config.topic(), null, receivedAtMs, key, body, headers);
        try {
            producer.send(record).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RecordTooLargeException) {
                // Retrying cannot help, and a 5xx would make Prometheus retry it forever.
                reject(
                        exchange,
                        Outcome.REJECTED_TOO_LARGE,
                        413,
                        body.length,
                        e.getCause().getMessage());
            } else {
                kafkaError(exchange, body.length, e.getCause());
            }
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kafkaError(exchange, body.length, e);
            return;
        } catch (RuntimeException e) {
            // send() throws directly rather than failing the future, e.g. once the producer is
            // closed during shutdown.
            kafkaError(exchange, body.length, e);
            return;
        }
        metrics.record(Outcome.ACCEPTED, body.length);
        exchange.sendResponseHeaders(204, -1);
    }

    private void kafkaError(HttpExchange exchange, int bodyBytes, Throwable cause)
            throws IOException {
        LOG.warn("Kafka did not acknowledge a remote-write body; answering 503", cause);
        metrics.record(Outcome.KAFKA_ERROR, bodyBytes);
        respond(exchange, 503, "Kafka unavailable: " + cause);
    }

    private void reject(
            HttpExchange exchange, Outcome outcome, int status, int bodyBytes, String message)
            throws IOException {
        LOG.debug(
                "Rejected remote-write request from {}: {}", exchange.getRemoteAddress(), message);
        metrics.record(outcome, bodyBytes);
        respond(exchange, status, message);
    }

    private void handleHealth(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())
                    && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "use GET");
                return;
            }
            respond(exchange, 200, "Healthy.");
        }
    }

    private static void handleMetrics(HttpExchange exchange, PrometheusMeterRegistry registry)
            throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            respond(exchange, 200, registry.scrape());
        }
    }

    /**
     * Accepts {@code application/x-protobuf} with no {@code proto} parameter or with the 1.0 one,
     * so that a remote write 2.0 sender gets 415 and can fall back to 1.0.
     */
    static boolean isRemoteWriteV1(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].trim().equalsIgnoreCase(PROTOBUF_MEDIA_TYPE)) {
            return false;
        }
        Map<String, String> parameters = new HashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String[] pair = parts[i].split("=", 2);
            parameters.put(
                    pair[0].trim().toLowerCase(Locale.ROOT),
                    pair.length == 2 ? pair[1].trim().replace("\"", "") : "");
        }
        String proto = parameters.get("proto");
        return proto == null || proto.equals(WRITE_REQUEST_V1_PROTO);
    }

    private static long contentLength(HttpExchange exchange) {
        String value = exchange.getRequestHeaders().getFirst("Content-Length");
        try {
            return value == null ? -1 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void respond(HttpExchange exchange, int status, String message)
            throws IOException {
        byte[] bytes = (message + "\n").getBytes(StandardCharsets.UTF_8);
        if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, Object> producerProperties(RemoteWriteReceiverConfig config) {
        long timeoutMs = config.kafkaTimeout().toMillis();
        Map<String, Object> properties = new HashMap<>();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "remote-write-receiver");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // The body is already snappy-compressed; compressing it again costs CPU for nothing.
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // Bounds the wait for metadata in send() ...
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        // ... and for the acknowledgement, retries included; Kafka requires
        // delivery.timeout.ms >= linger.ms + request.timeout.ms.
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeoutMs);
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) (timeoutMs / 2));
        // Leaves room for the record overhead so that a body at the limit still fits.
        properties.put(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                Math.max(1024 * 1024, config.maxBodyBytes() + 64 * 1024));
        return properties;
    }

    private static ThreadFactory handlerThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "remote-write-handler-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
