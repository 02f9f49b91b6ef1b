package dev.servicehealth.ingest.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.ingest.NormalizerJobFixture;
import dev.servicehealth.model.EventCodec;
import dev.servicehealth.model.MetricSample;
import dev.servicehealth.model.Region;
import dev.servicehealth.model.privacy.TenantKeyFile;
import dev.servicehealth.model.remotewrite.PromSample;
import dev.servicehealth.model.remotewrite.PromSeries;
import dev.servicehealth.model.remotewrite.RemoteWriteCodec;
import dev.servicehealth.model.remotewrite.RemoteWriteFormatException;
import dev.servicehealth.testing.SharedKafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (the Debian package's binary) scrapes itself and remote-writes to the receiver,
 * which writes to a real broker; the raw topic must then hold Prometheus' series with its external
 * labels, and the normalizer must turn every one of their samples into a canonical metric sample.
 * Prometheus is always killed, even when the test fails or times out.
 */
class PrometheusRemoteWriteITCase {

    @RegisterExtension static final SharedKafkaBroker KAFKA = new SharedKafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK = NormalizerJobFixture.miniCluster(1, 2);

    /** Where {@code apt-get install prometheus} puts the binary; overridable for other hosts. */
    private static final Path PROMETHEUS =
            Path.of(System.getProperty("prometheus.binary", "/usr/bin/prometheus"));

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    /** Three requests: the first can hold a partial scrape, later ones prove it keeps sending. */
    private static final int EXPECTED_REQUESTS = 3;

    @TempDir Path tmp;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void prometheusSamplesReachTheNormalizedTopicThroughReceiverAndKafka() throws Exception {
        assertThat(Files.isExecutable(PROMETHEUS))
                .as(
                        "Prometheus binary %s is missing or not executable: install it with"
                                + " 'apt-get install -y prometheus' or pass -Dprometheus.binary=PATH",
                        PROMETHEUS)
                .isTrue();
        NormalizerJobFixture.Topics topics = NormalizerJobFixture.Topics.create(KAFKA, 2);
        String topic = topics.rawMetrics();
        long startedAtMs = System.currentTimeMillis();

        try (RemoteWriteReceiver receiver =
                RemoteWriteReceiver.start(
                        RemoteWriteReceiverConfig.of(KAFKA.bootstrapServers(), topic, 0),
                        new SimpleMeterRegistry())) {
            int prometheusPort = freePort();
            Path log = tmp.resolve("prometheus.log");
            Process prometheus = startPrometheus(prometheusPort, receiver.port(), log);
            // Covers a test JVM that exits before the finally block runs.
            Thread killOnExit = new Thread(prometheus::destroyForcibly);
            Runtime.getRuntime().addShutdownHook(killOnExit);
            List<ConsumerRecord<byte[], byte[]>> records;
            try {
                awaitReady(prometheus, prometheusPort, log);
                records = KAFKA.drain(topic, EXPECTED_REQUESTS, DRAIN_TIMEOUT, true);
            } finally {
                // Stopped before the receiver closes, so it does not retry into a dead endpoint.
                stop(prometheus);
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            }
            assertThat(records)
                    .as("remote-write records; Prometheus log:%n%s", readLog(log))
                    .hasSizeGreaterThanOrEqualTo(EXPECTED_REQUESTS);
            assertRecordsCarryPrometheusSeries(records, startedAtMs);
        }

        Path keyFile = tmp.resolve("tenant.key");
        TenantKeyFile.writeRandom(keyFile);
        NormalizerJobFixture.run(KAFKA.bootstrapServers(), topics, keyFile);
        assertNormalizedSamplesMatchTheRawRequests(topics);
    }

    /** Every sample of every request on the raw topic, and nothing else, is normalized. */
    private static void assertNormalizedSamplesMatchTheRawRequests(
            NormalizerJobFixture.Topics topics) throws RemoteWriteFormatException {
        List<String> expected = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> raw :
                KAFKA.drainUntilQuiet(
                        topics.rawMetrics(), Duration.ofSeconds(2), DRAIN_TIMEOUT, true)) {
            for (PromSeries series : RemoteWriteCodec.decode(raw.value())) {
                for (PromSample sample : series.samples()) {
                    expected.add(
                            series.metricName()
                                    + "@"
                                    + sample.timestampMs()
                                    + "="
                                    + sample.value());
                }
            }
        }
        List<MetricSample> normalized =
                KAFKA
                        .drainUntilQuiet(
                                topics.metrics(), Duration.ofSeconds(2), DRAIN_TIMEOUT, true)
                        .stream()
                        .map(record -> EventCodec.decodeMetric(record.value()))
                        .toList();
        assertThat(normalized)
                .extracting(s -> s.metricName() + "@" + s.timestampMs() + "=" + s.value())
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(normalized)
                .allSatisfy(
                        sample -> {
                            assertThat(sample.region()).isEqualTo(Region.EMEA);
                            assertThat(sample.service()).isEqualTo("core-api");
                        })
                .anySatisfy(
                        sample -> {
                            assertThat(sample.metricName()).isEqualTo("up");
                            assertThat(sample.labels()).containsEntry("job", "prometheus");
                        });
        assertThat(
                        KAFKA.drainUntilQuiet(
                                topics.deadLetters(), Duration.ofSeconds(1), DRAIN_TIMEOUT, true))
                .isEmpty();
    }

    private static void assertRecordsCarryPrometheusSeries(
            List<ConsumerRecord<byte[], byte[]>> records, long startedAtMs)
            throws RemoteWriteFormatException {
        List<PromSeries> series = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            assertThat(record.headers().lastHeader(RemoteWriteReceiver.RECEIVED_AT_HEADER))
                    .isNotNull();
            series.addAll(RemoteWriteCodec.decode(record.value()));
        }
        long now = System.currentTimeMillis();
        assertThat(series)
                .isNotEmpty()
                .allSatisfy(
                        one ->
                                assertThat(one.labels())
                                        .containsEntry("region", "EMEA")
                                        .containsEntry("service", "core-api"));
        List<PromSample> up =
                series.stream()
                        .filter(one -> one.metricName().equals("up"))
                        .filter(one -> "prometheus".equals(one.labels().get("job")))
                        .flatMap(one -> one.samples().stream())
                        .toList();
        assertThat(up)
                .isNotEmpty()
                .allSatisfy(
                        sample -> {
                            assertThat(sample.value()).isEqualTo(1.0);
                            assertThat(sample.timestampMs()).isBetween(startedAtMs, now);
                        });
    }

    private Process startPrometheus(int port, int receiverPort, Path log) throws IOException {
        Path config = tmp.resolve("prometheus.yml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "global:",
                        "  scrape_interval: 1s",
                        "  evaluation_interval: 1s",
                        "  external_labels:",
                        "    region: EMEA",
                        "    service: core-api",
                        "scrape_configs:",
                        "  - job_name: prometheus",
                        "    static_configs:",
                        "      - targets: ['127.0.0.1:" + port + "']",
                        "remote_write:",
                        "  - url: http://127.0.0.1:"
                                + receiverPort
                                + RemoteWriteReceiver.WRITE_PATH,
                        "    queue_config:",
                        "      batch_send_deadline: 1s",
                        ""));
        return new ProcessBuilder(
                        PROMETHEUS.toString(),
                        "--config.file=" + config,
                        "--web.listen-address=127.0.0.1:" + port,
                        "--storage.tsdb.path=" + tmp.resolve("tsdb"),
                        // Bounds the shutdown wait for unsent samples, which is 1 min by default.
                        "--storage.remote.flush-deadline=1s")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** Polls {@code /-/ready}; fails at once with the log if Prometheus exits, e.g. bad flags. */
    private static void awaitReady(Process prometheus, int port, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest ready =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready"))
                        .timeout(Duration.ofSeconds(2))
                        .build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(prometheus.isAlive())
                    .as("Prometheus exited with %s; log:%n%s", exitValue(prometheus), readLog(log))
                    .isTrue();
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // Prometheus opens its port a moment after start.
            }
            prometheus.waitFor(200, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError(
                "Prometheus not ready within " + READY_TIMEOUT + "; log:\n" + readLog(log));
    }

    /** SIGTERM, then SIGKILL if it lingers or if this thread is interrupted by the timeout. */
    private static void stop(Process prometheus) {
        prometheus.destroy();
        try {
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        } catch (InterruptedException e) {
            prometheus.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String exitValue(Process process) {
        return process.isAlive() ? "nothing" : String.valueOf(process.exitValue());
    }

    private static String readLog(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
