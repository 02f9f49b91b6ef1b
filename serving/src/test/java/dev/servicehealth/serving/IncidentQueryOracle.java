package dev.servicehealth.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servicehealth.aggregator.sketch.LatencySketch;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.TenantTier;
import dev.servicehealth.model.catalog.CounterKpi;
import dev.servicehealth.model.catalog.MetricCatalog;
import dev.servicehealth.simulator.GroundTruth;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The KPI questions of the incident query catalog held to an independent computation: each query
 * asked of a real Pinot, each answer compared with the same question answered from the events the
 * KPIs must count (counters exactly, merged percentiles within the sketch's rank error). Shared by
 * the serving test and the backfill's bug-fix test, which asks them after a repair.
 */
public final class IncidentQueryOracle {
    private IncidentQueryOracle() {}

    /**
     * Every KPI query of the catalog over the traffic's {@code [start, end)}, the EMEA outage's
     * (both callers play it).
     */
    public static void assertKpiQueries(
            PinotBroker broker, List<RequestEvent> events, GroundTruth truth, long start, long end)
            throws Exception {
        assertRegionalAvailability(broker, events, end);
        // the five minutes before the outage ends, where it hits tenants: after it, a healthy
        // fleet's top tenant may have no 5xx at all
        long outageEnd = Math.floorDiv(truth.phase("outage").endMs(), minutes(1)) * minutes(1);
        assertImpactedTenants(broker, events, outageEnd);
        assertErrorTrend(broker, events, start, end);
        assertTierSla(broker, events, start, end);
        assertTenantDrilldown(broker, events, end);
        assertRollingOpsView(broker, events, end);
        assertAroundTheDeploy(broker, events, truth, start, end);
    }

    public static void assertRegionalAvailability(
            PinotBroker broker, List<RequestEvent> events, long end) throws IOException {
        long from = end - minutes(5);
        long baselineFrom = from - minutes(15);
        QueryResult result =
                broker.query(
                        IncidentQuery.REGIONAL_AVAILABILITY.sql(
                                Map.of(
                                        "recent_ms",
                                        minutes(5),
                                        "to",
                                        end,
                                        "baseline_from",
                                        baselineFrom)));
        Function<RequestEvent, List<Object>> zone =
                e -> List.of(e.region().name(), e.availabilityZone());
        Map<List<Object>, List<RequestEvent>> now = group(events, inRange(from, end), zone);
        Map<List<Object>, List<RequestEvent>> before =
                group(events, inRange(baselineFrom, from), zone);
        assertThat(result.rows())
                .hasSize((int) concat(now.keySet(), before.keySet()).distinct().count());
        for (int i = 0; i < result.rows().size(); i++) {
            List<Object> region =
                    List.of(
                            result.value(i, "region").asText(),
                            result.value(i, "availability_zone").asText());
            for (CounterKpi counter :
                    List.of(
                            MetricCatalog.REQUESTS,
                            MetricCatalog.SUCCESSES,
                            MetricCatalog.SERVER_ERRORS)) {
                assertThat(result.value(i, counter.name() + "_now").asLong())
                        .as("%s now in %s", counter.name(), region)
                        .isEqualTo(sum(now.getOrDefault(region, List.of()), counter));
                assertThat(result.value(i, counter.name() + "_before").asLong())
                        .as("%s before in %s", counter.name(), region)
                        .isEqualTo(sum(before.getOrDefault(region, List.of()), counter));
            }
        }
    }

    public static void assertImpactedTenants(
            PinotBroker broker, List<RequestEvent> events, long end) throws IOException {
        long from = end - minutes(5);
        long baselineFrom = from - minutes(15);
        double scale = 5.0 / 15.0;
        QueryResult result =
                broker.query(
                        IncidentQuery.IMPACTED_TENANTS.sql(
                                Map.of(
                                        "recent_ms", minutes(5),
                                        "to", end,
                                        "baseline_from", baselineFrom,
                                        "baseline_scale", scale,
                                        "limit", 10_000)));
        Function<RequestEvent, List<Object>> tenant =
                e -> List.of(e.tenantToken(), e.tenantTier().name());
        Map<List<Object>, List<RequestEvent>> now = group(events, inRange(from, end), tenant);
        Map<List<Object>, List<RequestEvent>> before =
                group(events, inRange(baselineFrom, from), tenant);
        assertThat(result.rows())
                .hasSize((int) concat(now.keySet(), before.keySet()).distinct().count());
        double previousExcess = Double.POSITIVE_INFINITY;
        for (int i = 0; i < result.rows().size(); i++) {
            List<Object> key =
                    List.of(
                            result.value(i, "tenant_token").asText(),
                            result.value(i, "tenant_tier").asText());
            long errorsNow = sum(now.getOrDefault(key, List.of()), MetricCatalog.SERVER_ERRORS);
            long errorsBefore =
                    sum(before.getOrDefault(key, List.of()), MetricCatalog.SERVER_ERRORS);
            assertThat(result.value(i, "server_errors_now").asLong()).isEqualTo(errorsNow);
            assertThat(result.value(i, "server_errors_before").asLong()).isEqualTo(errorsBefore);
            assertThat(result.value(i, "requests_now").asLong())
                    .isEqualTo(sum(now.getOrDefault(key, List.of()), MetricCatalog.REQUESTS));
            double excess = errorsNow - scale * errorsBefore;
            assertThat(excess)
                    .as("ranked by excess 5xx")
                    .isLessThanOrEqualTo(previousExcess + 1e-9);
            previousExcess = excess;
        }
        assertThat(result.value(0, "server_errors_now").asLong())
                .as("the outage hits the top tenant")
                .isPositive();
    }

    public static void assertErrorTrend(
            PinotBroker broker, List<RequestEvent> events, long start, long end)
            throws IOException {
        QueryResult result =
                broker.query(IncidentQuery.ERROR_TREND.sql(Map.of("from", start, "to", end)));
        Map<List<Object>, List<RequestEvent>> expected =
                group(events, inRange(start, end), e -> List.of(windowStart(e), e.region().name()));
        assertThat(result.rows()).hasSize(expected.size());
        for (int i = 0; i < result.rows().size(); i++) {
            List<Object> key =
                    List.of(
                            result.value(i, "window_start").asLong(),
                            result.value(i, "region").asText());
            for (CounterKpi counter :
                    List.of(
                            MetricCatalog.REQUESTS,
                            MetricCatalog.SERVER_ERRORS,
                            MetricCatalog.SUCCESSES)) {
                assertThat(result.value(i, counter.name()).asLong())
                        .as("%s of %s", counter.name(), key)
                        .isEqualTo(sum(expected.get(key), counter));
            }
        }
    }

    public static void assertTierSla(
            PinotBroker broker, List<RequestEvent> events, long start, long end)
            throws IOException {
        QueryResult result =
                broker.query(
                        IncidentQuery.TIER_SLA.sql(
                                Map.of("from", start, "to", end, "tier", "PREMIUM")));
        Map<List<Object>, List<RequestEvent>> expected =
                group(
                        events,
                        inRange(start, end).and(e -> e.tenantTier() == TenantTier.PREMIUM),
                        e -> List.of(e.region().name()));
        assertThat(result.rows()).hasSize(expected.size());
        for (int i = 0; i < result.rows().size(); i++) {
            List<RequestEvent> region = expected.get(List.of(result.value(i, "region").asText()));
            assertThat(result.value(i, "requests").asLong())
                    .isEqualTo(sum(region, MetricCatalog.REQUESTS));
            assertThat(result.value(i, "successes").asLong())
                    .isEqualTo(sum(region, MetricCatalog.SUCCESSES));
            assertLatency(result.value(i, "latency_p95"), region, 0.95);
            assertLatency(result.value(i, "latency_p99"), region, 0.99);
        }
    }

    /** The busiest tenant × endpoint, over the last 15 minutes, per minute. */
    public static void assertTenantDrilldown(
            PinotBroker broker, List<RequestEvent> events, long end) throws IOException {
        long from = end - minutes(15);
        Map<List<Object>, List<RequestEvent>> byTenantEndpoint =
                group(events, inRange(from, end), e -> List.of(e.tenantToken(), e.endpoint()));
        List<Object> busiest =
                byTenantEndpoint.entrySet().stream()
                        .max(Comparator.comparingInt(e -> e.getValue().size()))
                        .orElseThrow()
                        .getKey();
        QueryResult result =
                broker.query(
                        IncidentQuery.TENANT_DRILLDOWN.sql(
                                Map.of(
                                        "tenant_token",
                                        busiest.get(0),
                                        "endpoint",
                                        busiest.get(1),
                                        "from",
                                        from,
                                        "to",
                                        end)));
        Map<List<Object>, List<RequestEvent>> expected =
                group(byTenantEndpoint.get(busiest), e -> true, e -> List.of(windowStart(e)));
        assertThat(result.rows()).hasSize(expected.size());
        for (int i = 0; i < result.rows().size(); i++) {
            List<RequestEvent> minute =
                    expected.get(List.of(result.value(i, "window_start").asLong()));
            for (CounterKpi counter :
                    List.of(
                            MetricCatalog.REQUESTS,
                            MetricCatalog.SUCCESSES,
                            MetricCatalog.SERVER_ERRORS,
                            MetricCatalog.CLIENT_ERRORS,
                            MetricCatalog.THROTTLED)) {
                assertThat(result.value(i, counter.name()).asLong())
                        .isEqualTo(sum(minute, counter));
            }
            assertLatency(result.value(i, "latency_p50"), minute, 0.50);
            assertLatency(result.value(i, "latency_p95"), minute, 0.95);
            assertLatency(result.value(i, "latency_p99"), minute, 0.99);
        }
    }

    public static void assertRollingOpsView(PinotBroker broker, List<RequestEvent> events, long end)
            throws IOException {
        long from = end - minutes(5);
        QueryResult result =
                broker.query(IncidentQuery.ROLLING_OPS_VIEW.sql(Map.of("from", from, "to", end)));
        Map<List<Object>, List<RequestEvent>> expected =
                group(events, inRange(from, end), e -> List.of(e.region().name(), e.service()));
        assertThat(result.rows()).hasSize(expected.size());
        for (int i = 0; i < result.rows().size(); i++) {
            List<RequestEvent> rows =
                    expected.get(
                            List.of(
                                    result.value(i, "region").asText(),
                                    result.value(i, "service").asText()));
            assertThat(result.value(i, "requests").asLong())
                    .isEqualTo(sum(rows, MetricCatalog.REQUESTS));
            assertThat(result.value(i, "server_errors").asLong())
                    .isEqualTo(sum(rows, MetricCatalog.SERVER_ERRORS));
            assertLatency(result.value(i, "latency_p50"), rows, 0.50);
            assertLatency(result.value(i, "latency_p95"), rows, 0.95);
            assertLatency(result.value(i, "latency_p99"), rows, 0.99);
        }
    }

    /** A merged percentile within the sketch's rank error of the exact one. */
    public static void assertLatency(JsonNode value, List<RequestEvent> events, double q) {
        double[] sorted =
                events.stream()
                        .mapToDouble(MetricCatalog.LATENCY::of)
                        .filter(v -> !Double.isNaN(v))
                        .sorted()
                        .toArray();
        if (sorted.length == 0) {
            assertThat(value.asText()).isEqualTo("NaN");
            return;
        }
        double error = LatencySketch.rankError(q, sorted.length);
        assertThat(value.asDouble())
                .as("P%s of %d latencies", q * 100, sorted.length)
                .isBetween(exact(sorted, q - error), exact(sorted, q + error));
    }

    /**
     * The outage's deploy is in the status table once, and the KPIs of its service and region
     * before and after it are the ground truth's.
     */
    public static void assertAroundTheDeploy(
            PinotBroker broker, List<RequestEvent> events, GroundTruth truth, long start, long end)
            throws IOException {
        QueryResult changes =
                broker.query(IncidentQuery.STATUS_CHANGES.sql(Map.of("from", start, "to", end)));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < changes.rows().size(); i++) {
            ids.add(changes.value(i, "event_id").asText());
        }
        assertThat(ids).as("each status event once").doesNotHaveDuplicates();
        long outageStart = truth.phase("outage").startMs();
        int deploy = -1;
        for (int i = 0; i < changes.rows().size(); i++) {
            if (changes.value(i, "event_time_ms").asLong() == outageStart
                    && changes.value(i, "kind").asText().endsWith("DEPLOY")) {
                deploy = i;
            }
        }
        assertThat(deploy).as("the outage's deploy in %s", changes.rows()).isNotNegative();
        String service = changes.value(deploy, "service").asText();
        String region = changes.value(deploy, "region").asText();
        long at = Math.floorDiv(outageStart, minutes(1)) * minutes(1);
        long span = minutes(3);
        QueryResult result =
                broker.query(
                        IncidentQuery.AROUND_CHANGE.sql(
                                Map.of(
                                        "service", service,
                                        "region", region,
                                        "at", at,
                                        "span_ms", span)));
        Predicate<RequestEvent> serviceInRegion =
                e -> e.service().equals(service) && e.region().name().equals(region);
        Map<String, List<RequestEvent>> expected =
                Map.of(
                        "before",
                        events.stream()
                                .filter(serviceInRegion.and(inRange(at - span, at)))
                                .toList(),
                        "after",
                        events.stream()
                                .filter(serviceInRegion.and(inRange(at, at + span)))
                                .toList());
        assertThat(result.rows()).hasSize(2);
        assertThat(result.value(0, "side").asText()).isEqualTo("before");
        for (int i = 0; i < 2; i++) {
            List<RequestEvent> side = expected.get(result.value(i, "side").asText());
            for (CounterKpi counter :
                    List.of(
                            MetricCatalog.REQUESTS,
                            MetricCatalog.SUCCESSES,
                            MetricCatalog.SERVER_ERRORS,
                            MetricCatalog.AUTH_ATTEMPTS,
                            MetricCatalog.AUTH_FAILURES)) {
                assertThat(result.value(i, counter.name()).asLong())
                        .as("%s %s the deploy", counter.name(), result.value(i, "side").asText())
                        .isEqualTo(sum(side, counter));
            }
            assertLatency(result.value(i, "latency_p95"), side, 0.95);
        }
        assertThat(result.value(1, "auth_failures").asLong())
                .as("the deploy broke auth")
                .isGreaterThan(result.value(0, "auth_failures").asLong());
    }

    public static Map<List<Object>, List<RequestEvent>> group(
            List<RequestEvent> events,
            Predicate<RequestEvent> filter,
            Function<RequestEvent, List<Object>> key) {
        Map<List<Object>, List<RequestEvent>> groups = new HashMap<>();
        for (RequestEvent event : events) {
            if (filter.test(event)) {
                groups.computeIfAbsent(key.apply(event), k -> new ArrayList<>()).add(event);
            }
        }
        return groups;
    }

    public static Stream<List<Object>> concat(Set<List<Object>> a, Set<List<Object>> b) {
        return Stream.concat(a.stream(), b.stream());
    }

    public static Predicate<RequestEvent> inRange(long from, long to) {
        return e -> windowStart(e) >= from && windowStart(e) < to;
    }

    public static long windowStart(RequestEvent event) {
        return windowStart(event.eventTimeMs());
    }

    public static long windowStart(long eventTimeMs) {
        return Math.floorDiv(eventTimeMs, minutes(1)) * minutes(1);
    }

    public static long sum(List<RequestEvent> events, CounterKpi counter) {
        return events.stream().mapToLong(counter::of).sum();
    }

    public static long minutes(int n) {
        return Duration.ofMinutes(n).toMillis();
    }

    public static double exact(double[] sorted, double q) {
        int rank = (int) Math.ceil(Math.min(1, Math.max(0, q)) * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    /**
     * Retries the checks until they hold or a minute has passed: Pinot consumes the newest versions
     * asynchronously.
     */
    public static void eventually(Check check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    public interface Check {
        void run() throws Exception;
    }
}
