package dev.servicehealth.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servicehealth.serving.IncidentQuery;
import dev.servicehealth.serving.PinotBroker;
import dev.servicehealth.serving.QueryResult;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What an SRE sees in Pinot while the local run plays, measured as they would see it, once a second
 * through the broker:
 *
 * <ul>
 *   <li><b>freshness</b>: now minus the newest event time any queryable service row holds, i.e. how
 *       far behind the present the freshest answer is (event time → queryable in Pinot);
 *   <li><b>drill-down latency</b>: the on-call query (one tenant × endpoint, last 15 minutes, per
 *       minute, percentiles merged from sketches), timed at the client, for the busiest tenant ×
 *       endpoint pairs in turn;
 *   <li><b>availability per region</b> over the last 5 minutes, from the query catalog.
 * </ul>
 *
 * <p>P50 and P95 are over the last minute of samples.
 */
final class ServingProbe implements Runnable {
    private static final long WINDOW_MS = 60_000;
    private static final long MINUTE_MS = 60_000;

    private final PinotBroker broker;
    private final AtomicBoolean stop;
    private final Deque<long[]> freshness = new ArrayDeque<>();
    private final Deque<long[]> drilldownMs = new ArrayDeque<>();
    private final List<List<String>> busiest = new ArrayList<>();
    private volatile String availability = "no rows yet";
    private volatile long drilldownRows;
    private volatile String lastError;
    private int turn;

    ServingProbe(URI broker, AtomicBoolean stop) {
        this.broker = new PinotBroker(broker, Duration.ofSeconds(10));
        this.stop = stop;
    }

    @Override
    public void run() {
        while (!stop.get()) {
            long now = System.currentTimeMillis();
            try {
                probe(now);
                lastError = null;
            } catch (IOException | RuntimeException e) {
                lastError = e.getMessage();
            }
            try {
                Thread.sleep(Math.max(0, 1_000 - (System.currentTimeMillis() - now)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void probe(long now) throws IOException {
        long to = Math.floorDiv(now, MINUTE_MS) * MINUTE_MS + MINUTE_MS;
        QueryResult newest =
                broker.query(
                        "SELECT MAX(newest_event_at) FROM service_kpi WHERE window_start >= "
                                + (to - 15 * MINUTE_MS));
        long newestEventAt = newest.rows().get(0).get(0).asLong();
        if (newestEventAt > 0) {
            add(freshness, System.currentTimeMillis(), System.currentTimeMillis() - newestEventAt);
        }
        if (turn % 30 == 0) {
            refreshBusiest(to);
        }
        if (!busiest.isEmpty()) {
            List<String> pair = busiest.get(turn % busiest.size());
            String sql =
                    IncidentQuery.TENANT_DRILLDOWN.sql(
                            Map.of(
                                    "tenant_token",
                                    pair.get(0),
                                    "endpoint",
                                    pair.get(1),
                                    "from",
                                    to - 15 * MINUTE_MS,
                                    "to",
                                    to));
            long started = System.nanoTime();
            broker.query(sql);
            add(drilldownMs, System.currentTimeMillis(), (System.nanoTime() - started) / 1_000);
        }
        if (turn % 5 == 0) {
            availability = availability(to);
        }
        turn++;
    }

    /** The 20 tenant × endpoint pairs with the most requests in the last 15 minutes. */
    private void refreshBusiest(long to) throws IOException {
        QueryResult pairs =
                broker.query(
                        "SELECT tenant_token, endpoint, SUM(requests) FROM drilldown_kpi"
                                + " WHERE window_start >= "
                                + (to - 15 * MINUTE_MS)
                                + " GROUP BY tenant_token, endpoint"
                                + " ORDER BY SUM(requests) DESC LIMIT 20");
        busiest.clear();
        for (List<JsonNode> row : pairs.rows()) {
            busiest.add(List.of(row.get(0).asText(), row.get(1).asText()));
        }
        drilldownRows =
                broker.query("SELECT COUNT(*) FROM drilldown_kpi").rows().get(0).get(0).asLong();
    }

    private String availability(long to) throws IOException {
        QueryResult regions =
                broker.query(
                        IncidentQuery.REGIONAL_AVAILABILITY.sql(
                                Map.of(
                                        "recent_ms",
                                        5 * MINUTE_MS,
                                        "to",
                                        to,
                                        "baseline_from",
                                        to - 65 * MINUTE_MS)));
        // the query answers per zone; the live line sums the zones of each region
        Map<String, long[]> byRegion = new TreeMap<>();
        for (int i = 0; i < regions.rows().size(); i++) {
            long[] sums =
                    byRegion.computeIfAbsent(regions.value(i, "region").asText(), r -> new long[2]);
            sums[0] += regions.value(i, "requests_now").asLong();
            sums[1] += regions.value(i, "successes_now").asLong();
        }
        StringBuilder text = new StringBuilder();
        byRegion.forEach(
                (region, sums) -> {
                    if (sums[0] > 0) {
                        text.append(
                                String.format(
                                        Locale.ROOT,
                                        "%s %.2f%%  ",
                                        region,
                                        100.0 * sums[1] / sums[0]));
                    }
                });
        return text.isEmpty() ? "no requests in the last 5 minutes" : text.toString().strip();
    }

    /** The lines the live view prints. */
    String summary(long nowMs) {
        StringBuilder out = new StringBuilder();
        out.append("Pinot freshness     ")
                .append(percentiles(freshness, nowMs, 1_000.0, "s", "samples"))
                .append('\n');
        out.append("drill-down query    ")
                .append(percentiles(drilldownMs, nowMs, 1_000.0, "ms", "queries"))
                .append(String.format(Locale.ROOT, ", %,d drill-down rows%n", drilldownRows));
        out.append("availability (5m)   ").append(availability).append('\n');
        String error = lastError;
        if (error != null) {
            out.append("Pinot query failed: ").append(error.lines().findFirst().orElse(""));
            out.append('\n');
        }
        return out.toString();
    }

    private static void add(Deque<long[]> samples, long atMs, long value) {
        synchronized (samples) {
            samples.addLast(new long[] {atMs, value});
        }
    }

    /**
     * P50 and P95 of the samples of the last minute, divided by {@code scale} ({@code freshness} is
     * kept in ms, query time in µs).
     */
    private static String percentiles(
            Deque<long[]> samples, long nowMs, double scale, String unit, String what) {
        long[] values;
        synchronized (samples) {
            while (!samples.isEmpty() && samples.peekFirst()[0] < nowMs - WINDOW_MS) {
                samples.removeFirst();
            }
            values = samples.stream().mapToLong(s -> s[1]).toArray();
        }
        if (values.length == 0) {
            return "no " + what + " yet";
        }
        Arrays.sort(values);
        return String.format(
                Locale.ROOT,
                "p50 %.1f %s, p95 %.1f %s (%d %s in the last minute)",
                values[(int) Math.ceil(0.5 * values.length) - 1] / scale,
                unit,
                values[(int) Math.ceil(0.95 * values.length) - 1] / scale,
                unit,
                values.length,
                what);
    }
}
