package dev.servicehealth.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.model.Region;
import dev.servicehealth.model.TenantTier;
import dev.servicehealth.model.catalog.MetricCatalog;
import dev.servicehealth.model.reference.EndpointInfo;
import dev.servicehealth.model.reference.ReferenceData;
import dev.servicehealth.model.remotewrite.PromSeries;
import dev.servicehealth.model.remotewrite.RemoteWriteCodec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class KpiOracleTest {
    private static final ReferenceData REFERENCE = ReferenceData.bundled();

    /** Plain counters recomputed from the emitted bytes, to hold the oracle against. */
    private static final class Counts {
        long requests;
        long successes;
        long serverErrors;
        long clientErrors;
        long throttled;
        long bytesOut;
        long authAttempts;
        long authFailures;
        final List<Double> latencies = new ArrayList<>();
    }

    @Test
    void oracleMatchesCountersRecomputedByHandFromTheEmittedLines() throws IOException {
        SimulatorConfig config =
                SimulatorConfig.builder()
                        .eventsPerSecond(3)
                        .duration(Duration.ofSeconds(150))
                        .dirt(DirtRates.none())
                        .maxJitter(Duration.ZERO)
                        .authShare(0.5)
                        .build();
        TrafficSimulator.Generation run = TrafficSimulator.generate(config);

        Map<OracleKey, Counts> expected = new HashMap<>();
        for (SimulatedRecord record : run.records()) {
            boolean gateway = record.topic().equals(config.topics().gateway());
            boolean auth = record.topic().equals(config.topics().auth());
            if (!gateway && !auth) {
                continue;
            }
            Map<String, Object> line = Json.object(record.value());
            String path = (String) line.getOrDefault("endpoint", "/services/oauth2/token");
            EndpointInfo info = REFERENCE.serviceCatalog().resolve(path).orElseThrow();
            long timestamp = (Long) line.get("timestamp");
            OracleKey key =
                    new OracleKey(
                            timestamp - timestamp % 60_000,
                            Region.valueOf((String) line.get("region")),
                            (String) line.get("az"),
                            info.product(),
                            info.service(),
                            info.template(),
                            REFERENCE.tenants().tierOf((String) line.get("tenant_id")));
            Counts counts = expected.computeIfAbsent(key, k -> new Counts());
            if (gateway) {
                int status = ((Long) line.get("http_status")).intValue();
                counts.requests++;
                if (status < 400 || (status < 500 && status != 429)) {
                    counts.successes++;
                }
                if (status >= 500) {
                    counts.serverErrors++;
                } else if (status == 429) {
                    counts.throttled++;
                } else if (status >= 400) {
                    counts.clientErrors++;
                }
                counts.bytesOut += (Long) line.get("bytes_out");
                counts.latencies.add(((Number) line.get("latency_ms")).doubleValue());
            } else {
                counts.authAttempts++;
                String outcome = (String) line.get("outcome");
                if (List.of("dependency_error", "timeout", "internal_error").contains(outcome)) {
                    counts.authFailures++;
                }
            }
        }

        Map<OracleKey, WindowKpis> oracle = run.groundTruth().kpiOracle();
        assertThat(oracle.keySet()).isEqualTo(expected.keySet());
        assertThat(oracle.keySet().stream().map(OracleKey::windowStartMs).distinct()).hasSize(3);
        expected.forEach(
                (key, counts) -> {
                    WindowKpis kpis = oracle.get(key);
                    assertThat(kpis.counter(MetricCatalog.REQUESTS)).isEqualTo(counts.requests);
                    assertThat(kpis.counter(MetricCatalog.SUCCESSES)).isEqualTo(counts.successes);
                    assertThat(kpis.counter(MetricCatalog.SERVER_ERRORS))
                            .isEqualTo(counts.serverErrors);
                    assertThat(kpis.counter(MetricCatalog.CLIENT_ERRORS))
                            .isEqualTo(counts.clientErrors);
                    assertThat(kpis.counter(MetricCatalog.THROTTLED)).isEqualTo(counts.throttled);
                    assertThat(kpis.counter(MetricCatalog.BYTES_OUT)).isEqualTo(counts.bytesOut);
                    assertThat(kpis.counter(MetricCatalog.AUTH_ATTEMPTS))
                            .isEqualTo(counts.authAttempts);
                    assertThat(kpis.counter(MetricCatalog.AUTH_FAILURES))
                            .isEqualTo(counts.authFailures);
                    assertThat(kpis.latenciesMs())
                            .containsExactlyInAnyOrderElementsOf(counts.latencies)
                            .isSorted();
                });
    }

    @Test
    void oracleLeavesOutBeyondBoundRequestsAndCountsThemPerWindow() {
        SimulatorConfig config =
                SimulatorConfig.builder()
                        .eventsPerSecond(10)
                        .duration(Duration.ofMinutes(20))
                        .dirt(DirtRates.none().with(Dirt.BEYOND_BOUND, 0.05))
                        .build();
        GroundTruth truth = TrafficSimulator.generate(config).groundTruth();

        long inOracle =
                truth.kpiOracle().values().stream()
                        .mapToLong(
                                k ->
                                        k.counter(MetricCatalog.REQUESTS)
                                                + k.counter(MetricCatalog.AUTH_ATTEMPTS))
                        .sum();
        long beyond = truth.latenessCounts().get(Lateness.BEYOND_BOUND);

        assertThat(beyond).isGreaterThan(20);
        assertThat(inOracle + beyond).isEqualTo(truth.distinctRequests().size());
        assertThat(truth.beyondBoundByWindow().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(beyond);
    }

    @Test
    void emeaAuthOutageRaisesEmeaAuthFailuresAndNowhereElse() throws Exception {
        SimulatorConfig config =
                SimulatorConfig.builder()
                        .scenario(Scenario.EMEA_AUTH_OUTAGE)
                        .eventsPerSecond(100)
                        .duration(Duration.ofMinutes(10))
                        .build();
        TrafficSimulator.Generation run = TrafficSimulator.generate(config);
        GroundTruth truth = run.groundTruth();
        ScenarioPhase outage = truth.phase("outage");
        ScenarioPhase baseline = truth.phase("baseline");

        assertThat(authFailureRate(truth, Region.EMEA, outage::contains)).isGreaterThan(0.6);
        assertThat(authFailureRate(truth, Region.EMEA, baseline::contains)).isLessThan(0.02);
        assertThat(authFailureRate(truth, Region.NA, outage::contains)).isLessThan(0.02);
        assertThat(authFailureRate(truth, Region.APAC, outage::contains)).isLessThan(0.02);
        assertThat(gatewayShare(truth, Region.EMEA, outage::contains, s -> s == 401 || s == 503))
                .isGreaterThan(0.2);
        assertThat(gatewayShare(truth, Region.NA, outage::contains, s -> s == 401 || s == 503))
                .isLessThan(0.02);

        List<Map<String, Object>> statuses = new ArrayList<>();
        for (SimulatedRecord r : run.records()) {
            if (r.topic().equals(config.topics().status()) && !r.expectation().isDeadLettered()) {
                statuses.add(Json.object(r.value()));
            }
        }
        assertThat(statuses)
                .anySatisfy(
                        s -> {
                            assertThat(s)
                                    .containsEntry("type", "deploy")
                                    .containsEntry("service", "identity")
                                    .containsEntry("region", "EMEA")
                                    .containsEntry("timestamp", outage.startMs());
                        })
                .anySatisfy(s -> assertThat(s).containsEntry("type", "incident"));

        assertThat(maxQueueDepth(run, config, "EMEA", "identity", outage))
                .isGreaterThan(10 * maxQueueDepth(run, config, "EMEA", "identity", baseline));
        assertThat(maxQueueDepth(run, config, "NA", "identity", outage)).isLessThan(100);
    }

    @Test
    void badDeployRaisesErrorsAndLatencyOnTheHottestEndpointOnly() {
        SimulatorConfig config =
                SimulatorConfig.builder()
                        .scenario(Scenario.BAD_DEPLOY_HOT_ENDPOINT)
                        .eventsPerSecond(100)
                        .duration(Duration.ofMinutes(10))
                        .build();
        GroundTruth truth = TrafficSimulator.generate(config).groundTruth();
        ScenarioPhase degraded = truth.phase("degraded");

        Map<Boolean, long[]> byHot = new HashMap<>();
        truth.kpiOracle()
                .forEach(
                        (key, kpis) -> {
                            if (!degraded.contains(key.windowStartMs())) {
                                return;
                            }
                            boolean isHot = truth.hottestEndpoints().contains(key.endpoint());
                            long[] sums = byHot.computeIfAbsent(isHot, h -> new long[2]);
                            sums[0] += kpis.counter(MetricCatalog.SERVER_ERRORS);
                            sums[1] += kpis.counter(MetricCatalog.REQUESTS);
                        });

        assertThat(byHot.get(true)[0] / (double) byHot.get(true)[1]).isGreaterThan(0.25);
        assertThat(byHot.get(false)[0] / (double) byHot.get(false)[1]).isLessThan(0.01);
        assertThat(median(hotLatencies(truth, degraded)))
                .isGreaterThan(3 * median(hotLatencies(truth, truth.phase("baseline"))));
    }

    private static List<Double> hotLatencies(GroundTruth truth, ScenarioPhase phase) {
        List<Double> latencies = new ArrayList<>();
        truth.kpiOracle()
                .forEach(
                        (key, kpis) -> {
                            if (phase.contains(key.windowStartMs())
                                    && truth.hottestEndpoints().contains(key.endpoint())) {
                                latencies.addAll(kpis.latenciesMs());
                            }
                        });
        return latencies;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double authFailureRate(
            GroundTruth truth, Region region, Predicate<Long> window) {
        long failures = 0;
        long attempts = 0;
        for (Map.Entry<OracleKey, WindowKpis> e : truth.kpiOracle().entrySet()) {
            if (e.getKey().region() == region && window.test(e.getKey().windowStartMs())) {
                failures += e.getValue().counter(MetricCatalog.AUTH_FAILURES);
                attempts += e.getValue().counter(MetricCatalog.AUTH_ATTEMPTS);
            }
        }
        assertThat(attempts).isPositive();
        return failures / (double) attempts;
    }

    private static double gatewayShare(
            GroundTruth truth, Region region, Predicate<Long> during, Predicate<Integer> status) {
        List<LogicalRequest> inWindow =
                truth.distinctRequests().values().stream()
                        .filter(r -> r.authOutcome() == null && r.region() == region)
                        .filter(r -> during.test(r.eventTimeMs()))
                        .toList();
        return inWindow.stream().filter(r -> status.test(r.httpStatus())).count()
                / (double) inWindow.size();
    }

    private static double maxQueueDepth(
            TrafficSimulator.Generation run,
            SimulatorConfig config,
            String region,
            String service,
            ScenarioPhase phase)
            throws Exception {
        double max = 0;
        for (SimulatedRecord r : run.records()) {
            if (!r.topic().equals(config.topics().metrics()) || r.expectation().isDeadLettered()) {
                continue;
            }
            for (PromSeries series : RemoteWriteCodec.decode(r.value())) {
                if (series.metricName().equals("queue_depth")
                        && region.equals(series.labels().get("region"))
                        && service.equals(series.labels().get("service"))
                        && phase.contains(series.samples().get(0).timestampMs())) {
                    max = Math.max(max, series.samples().get(0).value());
                }
            }
        }
        return max;
    }

    @Test
    void unknownTenantsGetTierUnknownAndUnmappedPathsTheUnmappedEndpoint() {
        SimulatorConfig config =
                SimulatorConfig.builder()
                        .eventsPerSecond(100)
                        .duration(Duration.ofMinutes(1))
                        .dirt(
                                DirtRates.none()
                                        .with(Dirt.UNKNOWN_TENANT, 0.05)
                                        .with(Dirt.UNMAPPED_ENDPOINT, 0.05))
                        .build();
        GroundTruth truth = TrafficSimulator.generate(config).groundTruth();

        assertThat(truth.distinctRequests().values())
                .anySatisfy(r -> assertThat(r.tenantTier()).isEqualTo(TenantTier.UNKNOWN))
                .anySatisfy(
                        r -> {
                            assertThat(r.endpoint()).isEqualTo("/services/apexrest/orders/{id}");
                            assertThat(r.path()).matches("/services/apexrest/orders/\\w{15}.*");
                            assertThat(r.service()).isEqualTo(GroundTruth.UNMAPPED_SERVICE);
                            assertThat(REFERENCE.serviceCatalog().resolve(r.path())).isEmpty();
                        });
    }
}
