package dev.servicehealth.ingest.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.ingest.remotewrite.RemoteWriteReceiverMetrics.Outcome;
import dev.servicehealth.model.remotewrite.PromSample;
import dev.servicehealth.model.remotewrite.PromSeries;
import dev.servicehealth.model.remotewrite.RemoteWriteCodec;
import dev.servicehealth.testing.SharedKafkaBroker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The receiver's HTTP contract against a real broker: what is accepted, what is refused how. */
class RemoteWriteReceiverTest {

    @RegisterExtension static final SharedKafkaBroker KAFKA = new SharedKafkaBroker();

    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(20);

    private static final byte[] BODY =
            RemoteWriteCodec.encode(
                    List.of(
                            new PromSeries(
                                    Map.of(
                                            "__name__",
                                            "up",
                                            "region",
                                            "EMEA",
                                            "service",
                                            "core-api"),
                                    List.of(new PromSample(1_767_225_600_000L, 1.0)))));

    private final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
    private final PrometheusMeterRegistry registry =
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private RemoteWriteReceiver receiver;

    @AfterEach
    void closeReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void writesBodyUnchangedAndAnswers204AfterTheBrokerAcknowledged() throws Exception {
        String topic = KAFKA.createTopic("raw.metrics", 2);
        receiver =
                RemoteWriteReceiver.start(
                        RemoteWriteReceiverConfig.of(KAFKA.bootstrapServers(), topic, 0), registry);
        long before = System.currentTimeMillis();

        int plain = send(remoteWrite(BODY));
        int withProtoParameter =
                send(
                        remoteWrite(BODY)
                                .setHeader(
                                        "Content-Type",
                                        "application/x-protobuf;proto=prometheus.WriteRequest"));

        long after = System.currentTimeMillis();
        assertThat(plain).isEqualTo(204);
        assertThat(withProtoParameter).isEqualTo(204);
        List<ConsumerRecord<byte[], byte[]>> records = KAFKA.drain(topic, 2, DRAIN_TIMEOUT, true);
        assertThat(records)
                .hasSize(2)
                .allSatisfy(
                        record -> {
                            assertThat(record.value()).isEqualTo(BODY);
                            assertThat(new String(record.key(), StandardCharsets.US_ASCII))
                                    .isEqualTo("127.0.0.1");
                            Header receivedAt =
                                    record.headers()
                                            .lastHeader(RemoteWriteReceiver.RECEIVED_AT_HEADER);
                            long receivedAtMs =
                                    Long.parseLong(
                                            new String(
                                                    receivedAt.value(), StandardCharsets.US_ASCII));
                            assertThat(receivedAtMs)
                                    .isBetween(before, after)
                                    .isEqualTo(record.timestamp());
                        });
        // Same sender, same key: both bodies are in one partition, in acknowledgement order.
        assertThat(records.get(0).partition()).isEqualTo(records.get(1).partition());
        assertThat(count(registry, Outcome.ACCEPTED)).isEqualTo(2.0);
        assertThat(registry.scrape())
                .contains("remote_write_requests_total{outcome=\"accepted\"} 2.0")
                .contains(
                        "remote_write_received_bytes_total{outcome=\"accepted\"} "
                                + 2 * BODY.length
                                + ".0")
                .contains("remote_write_requests_total{outcome=\"kafka_error\"} 0.0");
    }

    @Test
    void refusesRequestsThatCanNeverBeAcceptedWithoutWritingThem() throws Exception {
        String topic = KAFKA.createTopic("raw.metrics", 1);
        receiver =
                RemoteWriteReceiver.start(
                        RemoteWriteReceiverConfig.of(KAFKA.bootstrapServers(), topic, 0)
                                .withMaxBodyBytes(BODY.length * 4),
                        registry);
        // WriteRequest{timeseries{labels{__name__="up"}}} sent without compressing it.
        byte[] protobufWithoutSnappy =
                concat(
                        new byte[] {0x0A, 0x10, 0x0A, 0x0E, 0x0A, 0x08},
                        "__name__".getBytes(StandardCharsets.US_ASCII),
                        new byte[] {0x12, 0x02},
                        "up".getBytes(StandardCharsets.US_ASCII));
        // A snappy header declaring 2 GiB - 1, followed by nothing: a decompression bomb.
        byte[] bomb = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 0x00};

        assertThat(send(remoteWrite(BODY).method("PUT", body(BODY)))).isEqualTo(405);
        assertThat(send(request(WRITE).GET())).isEqualTo(405);
        assertThat(send(remoteWrite(BODY).setHeader("Content-Encoding", "gzip"))).isEqualTo(415);
        assertThat(
                        send(
                                request(WRITE)
                                        .header("Content-Type", "application/x-protobuf")
                                        .POST(body(BODY))))
                .isEqualTo(415);
        assertThat(send(remoteWrite(BODY).setHeader("Content-Type", "application/json")))
                .isEqualTo(415);
        assertThat(
                        send(
                                remoteWrite(BODY)
                                        .setHeader(
                                                "Content-Type",
                                                "application/x-protobuf;proto=io.prometheus.write.v2.Request")))
                .isEqualTo(415);
        assertThat(send(remoteWrite(protobufWithoutSnappy))).isEqualTo(400);
        assertThat(send(remoteWrite(new byte[] {1, 2, 3}))).isEqualTo(400);
        assertThat(send(remoteWrite(new byte[0]))).isEqualTo(400);
        assertThat(send(remoteWrite(bomb))).isEqualTo(413);
        assertThat(send(remoteWrite(new byte[BODY.length * 4 + 1]))).isEqualTo(413);
        assertThat(send(request("/api/v1/write/extra").POST(body(BODY)))).isEqualTo(404);

        assertThat(KAFKA.drainUntilQuiet(topic, Duration.ofSeconds(1), DRAIN_TIMEOUT, true))
                .isEmpty();
        assertThat(count(registry, Outcome.REJECTED_METHOD)).isEqualTo(2.0);
        assertThat(count(registry, Outcome.REJECTED_CONTENT_ENCODING)).isEqualTo(2.0);
        assertThat(count(registry, Outcome.REJECTED_CONTENT_TYPE)).isEqualTo(2.0);
        assertThat(count(registry, Outcome.REJECTED_BAD_SNAPPY)).isEqualTo(3.0);
        assertThat(count(registry, Outcome.REJECTED_TOO_LARGE)).isEqualTo(2.0);
        assertThat(count(registry, Outcome.ACCEPTED)).isZero();
    }

    @Test
    void answers503WhenKafkaDoesNotAcknowledgeSoPrometheusRetries() throws Exception {
        receiver =
                RemoteWriteReceiver.start(
                        RemoteWriteReceiverConfig.of("127.0.0.1:" + closedPort(), "raw.metrics", 0)
                                .withKafkaTimeout(Duration.ofSeconds(1)),
                        registry);

        HttpResponse<String> response = post(remoteWrite(BODY));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(count(registry, Outcome.KAFKA_ERROR)).isEqualTo(1.0);
        assertThat(count(registry, Outcome.ACCEPTED)).isZero();
    }

    @Test
    void servesHealthAndMetrics() throws Exception {
        receiver =
                RemoteWriteReceiver.start(
                        RemoteWriteReceiverConfig.of(KAFKA.bootstrapServers(), "raw.metrics", 0),
                        registry);

        HttpResponse<String> health =
                http.send(
                        request("/-/healthy").GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> metrics =
                http.send(request("/metrics").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("remote_write_requests_total{outcome=\"rejected_bad_snappy\"} 0.0");
    }

    private static final String WRITE = RemoteWriteReceiver.WRITE_PATH;

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + receiver.port() + path))
                .timeout(Duration.ofSeconds(15));
    }

    /** A request as Prometheus sends it. */
    private HttpRequest.Builder remoteWrite(byte[] body) {
        return request(WRITE)
                .header("Content-Encoding", "snappy")
                .header("Content-Type", "application/x-protobuf")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .POST(body(body));
    }

    private static HttpRequest.BodyPublisher body(byte[] bytes) {
        return HttpRequest.BodyPublishers.ofByteArray(bytes);
    }

    private HttpResponse<String> post(HttpRequest.Builder request)
            throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return post(request).statusCode();
    }

    private static double count(MeterRegistry registry, Outcome outcome) {
        return registry.get(RemoteWriteReceiverMetrics.REQUESTS)
                .tag(RemoteWriteReceiverMetrics.OUTCOME_TAG, outcome.tag())
                .counter()
                .count();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
