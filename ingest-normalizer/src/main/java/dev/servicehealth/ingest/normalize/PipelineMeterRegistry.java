package dev.servicehealth.ingest.normalize;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * One Micrometer registry per JVM (task manager): operators register on Micrometer's global
 * registry, and the first operator to open starts a Prometheus scrape endpoint ({@code /metrics})
 * when a port is configured. Tests add their own registry to the global one and read it.
 */
public final class PipelineMeterRegistry {
    private static HttpServer server;

    private PipelineMeterRegistry() {}

    public static synchronized MeterRegistry forJob(String jobName, NormalizerSettings settings) {
        if (settings.metricsPort() >= 0 && server == null) {
            PrometheusMeterRegistry prometheus =
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            Metrics.addRegistry(prometheus);
            try {
                server =
                        HttpServer.create(
                                new InetSocketAddress(
                                        settings.metricsBindAddress(), settings.metricsPort()),
                                0);
            } catch (IOException e) {
                throw new UncheckedIOException(
                        jobName
                                + ": cannot bind metrics endpoint on port "
                                + settings.metricsPort(),
                        e);
            }
            server.createContext(
                    "/metrics",
                    exchange -> {
                        byte[] body = prometheus.scrape().getBytes(StandardCharsets.UTF_8);
                        exchange.getResponseHeaders()
                                .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                        exchange.sendResponseHeaders(200, body.length);
                        try (OutputStream os = exchange.getResponseBody()) {
                            os.write(body);
                        }
                    });
            server.start();
        }
        return Metrics.globalRegistry;
    }
}
