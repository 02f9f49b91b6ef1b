package dev.servicehealth.localalertmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Alertmanager, Debian's {@code prometheus-alertmanager} binary, in a child process on
 * 127.0.0.1 with a free port and clustering off, routing every alert to an {@link AlertReceiver}'s
 * webhook and pages (severity {@code page}, not tickets) also as PagerDuty Events API v2 events, so
 * what Alertmanager would page with is recorded too. One group per page (the pager has grouped
 * already); no wait before the first notification, one second between a group's notifications, so a
 * resolve arrives promptly.
 */
public final class LocalAlertmanager implements AutoCloseable {
    /**
     * Where {@code apt-get install prometheus-alertmanager} puts it; {@code -Dalertmanager.binary}.
     */
    public static final Path DEFAULT_BINARY =
            Path.of(System.getProperty("alertmanager.binary", "/usr/bin/prometheus-alertmanager"));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final URI url;
    private final Path log;
    private final Thread killOnExit;
    private final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    private LocalAlertmanager(Process process, URI url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
        this.killOnExit = new Thread(process::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Starts Alertmanager with its config and data under {@code dir}, routing to {@code receiver},
     * and waits until it is ready.
     *
     * @throws IllegalStateException naming the binary and how to install it when it is missing, or
     *     with the log's end when it does not become ready
     */
    public static LocalAlertmanager start(Path dir, AlertReceiver receiver) throws IOException {
        if (!Files.isExecutable(DEFAULT_BINARY)) {
            throw new IllegalStateException(
                    "Alertmanager binary "
                            + DEFAULT_BINARY
                            + " is missing: 'apt-get install prometheus-alertmanager', or pass"
                            + " -Dalertmanager.binary=PATH");
        }
        Files.createDirectories(dir);
        Path config = dir.resolve("alertmanager.yml");
        Path routingKey = dir.resolve("pagerduty-routing-key");
        Files.writeString(routingKey, "local-service-health\n");
        Files.writeString(config, config(receiver, routingKey));
        Path log = dir.resolve("alertmanager.log");
        // the free port is free when looked up, not necessarily when Alertmanager binds it
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            Process process = startProcess(config, dir, port, log);
            LocalAlertmanager alertmanager =
                    new LocalAlertmanager(process, URI.create("http://127.0.0.1:" + port), log);
            try {
                alertmanager.awaitReady();
                return alertmanager;
            } catch (RuntimeException e) {
                alertmanager.close();
                if (attempt == START_ATTEMPTS || !bindFailed(log)) {
                    throw e;
                }
            }
        }
    }

    private static Process startProcess(Path config, Path dir, int port, Path log)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(DEFAULT_BINARY.toString());
        command.add("--config.file=" + config);
        command.add("--storage.path=" + dir.resolve("data"));
        command.add("--web.listen-address=127.0.0.1:" + port);
        // one instance: no gossip port to collide with another run's
        command.add("--cluster.listen-address=");
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static boolean bindFailed(Path log) {
        try {
            return Files.readString(log).contains("address already in use");
        } catch (IOException e) {
            return false;
        }
    }

    private static String config(AlertReceiver receiver, Path routingKey) {
        return String.join(
                "\n",
                "route:",
                "  receiver: tickets",
                "  group_by: [page]",
                "  group_wait: 0s",
                "  group_interval: 1s",
                "  repeat_interval: 4h",
                "  routes:",
                "    - receiver: oncall",
                "      matchers: ['severity=\"page\"']",
                "receivers:",
                "  - name: tickets",
                "    webhook_configs:",
                "      - url: " + quoted(receiver.webhookUrl()),
                "        send_resolved: true",
                "  - name: oncall",
                "    webhook_configs:",
                "      - url: " + quoted(receiver.webhookUrl()),
                "        send_resolved: true",
                "    pagerduty_configs:",
                "      - routing_key_file: " + quoted(routingKey),
                "        url: " + quoted(receiver.pagerDutyUrl()),
                "        send_resolved: true",
                "");
    }

    /** A YAML double-quoted scalar: a path with ": " or " #" stays one value. */
    private static String quoted(Object value) {
        return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}: its UI, and the API under /api/v2. */
    public URI url() {
        return url;
    }

    /** The alerts Alertmanager holds now that have not ended ({@code GET /api/v2/alerts}). */
    public JsonNode alerts() throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(url.resolve("/api/v2/alerts"))
                                .timeout(Duration.ofSeconds(5))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET /api/v2/alerts answered " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    /** What the process wrote, for a failed test's message. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Alertmanager exited at start:\n" + log());
            }
            try {
                HttpResponse<Void> ready =
                        http.send(
                                HttpRequest.newBuilder(url.resolve("/-/ready"))
                                        .timeout(Duration.ofSeconds(1))
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for Alertmanager", e);
            }
            sleep(100);
        }
        throw new IllegalStateException(
                "Alertmanager not ready after " + START_TIMEOUT + ":\n" + log());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
