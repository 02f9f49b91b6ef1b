package dev.servicehealth.serving;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** The parts of a Pinot controller's REST API that deploy and watch the serving tables. */
public final class PinotController {
    private final URI base;
    private final PinotHttp http = new PinotHttp(Duration.ofSeconds(30));

    public PinotController(URI base) {
        this.base = base;
    }

    /** Adds the schema, or replaces one of the same name. */
    public void putSchema(JsonNode schema) throws IOException {
        http.post(base.resolve("/schemas?override=true"), schema);
    }

    /** Adds a table; fails if it exists. */
    public void addTable(JsonNode tableConfig) throws IOException {
        http.post(base.resolve("/tables"), tableConfig);
    }

    /**
     * Waits until the REALTIME table has at least {@code partitions} segments and every replica of
     * each is ONLINE or CONSUMING: from then on the table answers queries from every partition.
     */
    public void awaitConsuming(String table, int partitions, Duration timeout) throws IOException {
        URI uri = externalView(table);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            // 404 until the controller has written the first external view
            JsonNode realtime = http.getIfFound(uri).path("REALTIME");
            if (realtime.size() >= partitions && allServing(realtime)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new PinotException(
                        "table " + table + " not consuming within " + timeout + ": " + realtime);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for " + table);
            }
        }
    }

    /**
     * How many segments of the REALTIME table are in each state of the external view (a segment's
     * state on its first replica): {@code ONLINE} ones are committed (sorted, indexed, immutable),
     * {@code CONSUMING} ones still take rows.
     */
    public Map<String, Integer> segmentStates(String table) throws IOException {
        JsonNode realtime = http.getIfFound(externalView(table)).path("REALTIME");
        Map<String, Integer> states = new TreeMap<>();
        for (Iterator<JsonNode> replicas = realtime.elements(); replicas.hasNext(); ) {
            Iterator<JsonNode> replica = replicas.next().elements();
            if (replica.hasNext()) {
                states.merge(replica.next().asText(), 1, Integer::sum);
            }
        }
        return states;
    }

    private URI externalView(String table) {
        return base.resolve(
                "/tables/" + URLEncoder.encode(table, StandardCharsets.UTF_8) + "/externalview");
    }

    private static boolean allServing(JsonNode segments) {
        for (Iterator<JsonNode> replicas = segments.elements(); replicas.hasNext(); ) {
            for (Iterator<JsonNode> states = replicas.next().elements(); states.hasNext(); ) {
                String state = states.next().asText();
                if (!state.equals("CONSUMING") && !state.equals("ONLINE")) {
                    return false;
                }
            }
        }
        return true;
    }
}
