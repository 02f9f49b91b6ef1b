package dev.servicehealth.runtime;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Micrometer registry per JVM (task manager): operators register on Micrometer's global
 * registry, and the first operator to open starts a Prometheus scrape endpoint ({@code /metrics})
 * when a port is configured. Tests add their own registry to the global one and read it.
 */
public final class PipelineMeterRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineMeterRegistry.class);
    private static boolean endpointAttempted;

    private PipelineMeterRegistry() {}

    /**
     * @param port the scrape port, or a negative number for none
     * @param bindAddress the address the scrape endpoint listens on
     */
    public static synchronized MeterRegistry forJob(String jobName, int port, String bindAddress) {
        if (port >= 0 && !endpointAttempted) {
            endpointAttempted = true;
            startEndpoint(jobName, port, bindAddress);
        }
        return Metrics.globalRegistry;
    }

    /**
     * A port that cannot be bound must not fail the job (it would restart forever over a metrics
     * endpoint): the meters still count, and the error says why nobody can scrape them.
     */
    private static void startEndpoint(String jobName, int port, String bindAddress) {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
        } catch (IOException e) {
            LOG.error(
                    "{}: metrics endpoint not started, cannot bind {}:{} ({})",
                    jobName,
                    bindAddress,
                    port,
                    e.toString());
            return;
        }
        Metrics.addRegistry(prometheus);
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
}
