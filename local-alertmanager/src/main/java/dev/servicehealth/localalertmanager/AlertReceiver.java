package dev.servicehealth.localalertmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Where a local Alertmanager routes to: a webhook receiver and a PagerDuty Events API v2 endpoint
 * on 127.0.0.1, each recording every body it was sent, with the time it arrived. What a pager on
 * call would have been told, for tests to assert on and for the local run to show.
 */
public final class AlertReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEBHOOK_PATH = "/webhook";
    private static final String PAGERDUTY_PATH = "/pagerduty/v2/enqueue";

    /** One body as received, and when (epoch milliseconds). */
    public record Received(long receivedAtMs, JsonNode body) {}

    private final HttpServer server;
    private final List<Received> webhook = new ArrayList<>();
    private final List<Received> pagerDuty = new ArrayList<>();

    private final ExecutorService handler = Executors.newSingleThreadExecutor();

    private AlertReceiver(HttpServer server) {
        this.server = server;
    }

    /** Listens on a free port of 127.0.0.1. */
    public static AlertReceiver start() throws IOException {
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AlertReceiver receiver = new AlertReceiver(server);
        server.createContext(WEBHOOK_PATH, exchange -> receiver.record(exchange, receiver.webhook));
        server.createContext(
                PAGERDUTY_PATH, exchange -> receiver.record(exchange, receiver.pagerDuty));
        server.setExecutor(receiver.handler);
        server.start();
        return receiver;
    }

    /** The URL Alertmanager's {@code webhook_configs} posts to. */
    public URI webhookUrl() {
        return url(WEBHOOK_PATH);
    }

    /** The URL Alertmanager's {@code pagerduty_configs} posts its Events API v2 events to. */
    public URI pagerDutyUrl() {
        return url(PAGERDUTY_PATH);
    }

    /** Alertmanager's webhook notifications so far: a group's alerts, firing or resolved. */
    public synchronized List<Received> webhookNotifications() {
        return List.copyOf(webhook);
    }

    /**
     * The {@code page} label of each alert in {@code notifications} of a status ({@code firing},
     * {@code resolved}), in the order they were sent, repeats included. A notification's status is
     * its group's; the local route groups by page, so it is each alert's too.
     */
    public static List<String> pageKeys(List<Received> notifications, String status) {
        List<String> keys = new ArrayList<>();
        for (Received notification : notifications) {
            if (notification.body().path("status").asText().equals(status)) {
                for (JsonNode alert : notification.body().path("alerts")) {
                    keys.add(alert.path("labels").path("page").asText());
                }
            }
        }
        return keys;
    }

    /** The PagerDuty events so far: trigger and resolve, each with its {@code dedup_key}. */
    public synchronized List<Received> pagerDutyEvents() {
        return List.copyOf(pagerDuty);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private void record(HttpExchange exchange, List<Received> into) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            JsonNode body;
            try (InputStream in = exchange.getRequestBody()) {
                body = JSON.readTree(in);
            } catch (IOException unreadable) {
                respond(exchange, 400, "{\"status\":\"invalid event\"}");
                return;
            }
            synchronized (this) {
                into.add(new Received(System.currentTimeMillis(), body));
            }
            // what the Events API v2 answers an accepted event with; the webhook ignores the body
            String dedupKey = body.path("dedup_key").asText("");
            respond(
                    exchange,
                    202,
                    JSON.createObjectNode()
                            .put("status", "success")
                            .put("message", "Event processed")
                            .put("dedup_key", dedupKey)
                            .toString());
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handler.shutdownNow();
    }
}
