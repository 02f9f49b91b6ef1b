package dev.servicehealth.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servicehealth.model.EventKind;
import dev.servicehealth.model.RequestSource;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TrafficSimulatorTest {

    private static SimulatorConfig.Builder small() {
        return SimulatorConfig.builder().eventsPerSecond(200).duration(Duration.ofMinutes(2));
    }

    @Test
    void sameSeedAndConfigGiveByteIdenticalRecords() {
        SimulatorConfig config = small().scenario(Scenario.EMEA_AUTH_OUTAGE).seed(7).build();

        List<SimulatedRecord> first = TrafficSimulator.generate(config).records();
        List<SimulatedRecord> second = TrafficSimulator.generate(config).records();

        assertThat(first).hasSizeGreaterThan(20_000);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void differentSeedsGiveDifferentTraffic() {
        List<SimulatedRecord> a = TrafficSimulator.generate(small().seed(1).build()).records();
        List<SimulatedRecord> b = TrafficSimulator.generate(small().seed(2).build()).records();

        assertThat(a.subList(0, 100)).isNotEqualTo(b.subList(0, 100));
    }

    @Test
    void emitsInNonDecreasingTimestampOrderWithinTheRun() {
        SimulatorConfig config =
                small().dirt(Dirt.DUPLICATE, 0.2).dirt(Dirt.LATE_FLUSH, 120).build();

        List<SimulatedRecord> records = TrafficSimulator.generate(config).records();

        assertThat(records)
                .allSatisfy(
                        r ->
                                assertThat(r.timestampMs())
                                        .isBetween(config.startMs(), config.endMs() - 1));
        for (int i = 1; i < records.size(); i++) {
            assertThat(records.get(i).timestampMs())
                    .isGreaterThanOrEqualTo(records.get(i - 1).timestampMs());
        }
    }

    @Test
    void usesTheCallersTopicNames() {
        TopicNames topics = TopicNames.withPrefix("it-1.");
        List<SimulatedRecord> records =
                TrafficSimulator.generate(small().topics(topics).statusEventsPerHour(600).build())
                        .records();

        assertThat(records.stream().map(SimulatedRecord::topic).distinct())
                .containsExactlyInAnyOrder(
                        "it-1.raw.gateway", "it-1.raw.auth", "it-1.raw.metrics", "it-1.raw.status");
    }

    @Test
    void groundTruthCountsAddUpToTheRecordsHandedOut() {
        SimulatorConfig config =
                small().scenario(Scenario.EMEA_AUTH_OUTAGE)
                        .dirt(DirtySets.heavy())
                        .statusEventsPerHour(600)
                        .build();
        TrafficSimulator.Generation run = TrafficSimulator.generate(config);
        GroundTruth truth = run.groundTruth();

        assertThat(truth.totalRecords()).isEqualTo(run.records().size());
        assertThat(truth.recordsWithoutDeadLetter() + truth.recordsDeadLettered())
                .isEqualTo(truth.totalRecords());
        Map<EventKind, Long> normalized = new HashMap<>();
        run.records()
                .forEach(
                        r ->
                                normalized.merge(
                                        r.expectation().kind(),
                                        (long) r.expectation().normalizedCount(),
                                        Long::sum));
        for (EventKind kind : EventKind.values()) {
            assertThat(truth.expectedNormalized(kind)).isEqualTo(normalized.get(kind));
        }
        assertThat(truth.expectedDeadLetters())
                .isEqualTo(
                        run.records().stream()
                                .filter(r -> r.expectation().isDeadLettered())
                                .collect(
                                        Collectors.groupingBy(
                                                r -> r.expectation().deadLetterReason(),
                                                Collectors.counting())));
        assertThat(truth.expectedNormalized(EventKind.REQUEST))
                .isEqualTo(truth.distinctRequests().size() + truth.duplicatesGenerated());
    }

    @Test
    void groundTruthOfAStreamCutShortCoversOnlyTheRecordsHandedOut() {
        TrafficSimulator simulator = new TrafficSimulator(small().build());

        long taken = simulator.records().limit(1_000).count();

        assertThat(taken).isEqualTo(1_000);
        assertThat(simulator.groundTruth().totalRecords()).isEqualTo(1_000);
        assertThatThrownBy(simulator::records).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFewBigTenantsCarryMostOfTheTraffic() {
        GroundTruth truth = TrafficSimulator.generate(small().build()).groundTruth();
        Map<String, Long> perTenant =
                truth.distinctRequests().values().stream()
                        .filter(r -> r.source() == RequestSource.GATEWAY)
                        .collect(
                                Collectors.groupingBy(
                                        LogicalRequest::tenantId, Collectors.counting()));
        long total = perTenant.values().stream().mapToLong(Long::longValue).sum();
        int tenants = 392;

        double acmeShare = perTenant.get("ACME") / (double) total;
        double globexShare = perTenant.get("GLOBEX") / (double) total;

        assertThat(acmeShare).isGreaterThan(30.0 / tenants).isGreaterThan(globexShare);
        assertThat(globexShare).isGreaterThan(10.0 / tenants);
    }

    @Test
    void theHottestEndpointTakesAboutAThirdOfRequests() {
        GroundTruth truth = TrafficSimulator.generate(small().build()).groundTruth();
        List<LogicalRequest> gateway =
                truth.distinctRequests().values().stream()
                        .filter(r -> r.source() == RequestSource.GATEWAY)
                        .toList();

        long hot =
                gateway.stream()
                        .filter(r -> truth.hottestEndpoints().contains(r.endpoint()))
                        .count();

        assertThat(hot / (double) gateway.size()).isBetween(0.25, 0.40);
    }

    @Test
    void retriesRepeatTheRequestIdAndPayloadOfTheOriginal() throws IOException {
        SimulatorConfig config = small().dirt(Dirt.DUPLICATE, 0.05).build();
        TrafficSimulator.Generation run = TrafficSimulator.generate(config);
        Map<String, Map<String, Object>> firstById = new HashMap<>();
        int retries = 0;
        boolean sawExtraField = false;
        boolean sawMinutesApart = false;
        Map<String, Long> firstEmission = new HashMap<>();

        for (SimulatedRecord record : run.records()) {
            if (!record.topic().equals(config.topics().gateway())
                    || record.expectation().isDeadLettered()) {
                continue;
            }
            Map<String, Object> line = Json.object(record.value());
            String id = (String) requestId(line);
            Map<String, Object> original = firstById.putIfAbsent(id, line);
            firstEmission.putIfAbsent(id, record.timestampMs());
            if (original == null) {
                continue;
            }
            retries++;
            Map<String, Object> withoutNode = new HashMap<>(line);
            sawExtraField |= withoutNode.remove("gateway_node") != null;
            assertThat(withoutNode).isEqualTo(original);
            sawMinutesApart |= record.timestampMs() - firstEmission.get(id) >= 60_000;
        }

        assertThat(retries)
                .isEqualTo(run.groundTruth().duplicatesGenerated() - authRetries(run, config));
        assertThat(retries).isGreaterThan(100);
        assertThat(sawExtraField).isTrue();
        assertThat(sawMinutesApart).isTrue();
    }

    private static long authRetries(TrafficSimulator.Generation run, SimulatorConfig config)
            throws IOException {
        Map<String, Integer> seen = new HashMap<>();
        long retries = 0;
        for (SimulatedRecord record : run.records()) {
            if (record.topic().equals(config.topics().auth())
                    && !record.expectation().isDeadLettered()) {
                if (seen.merge((String) requestId(Json.object(record.value())), 1, Integer::sum)
                        > 1) {
                    retries++;
                }
            }
        }
        return retries;
    }

    static Object requestId(Map<String, Object> line) {
        for (String name : LineRenderer.REQUEST_ID) {
            if (line.containsKey(name)) {
                return line.get(name);
            }
        }
        throw new AssertionError("no request id in " + line);
    }

    @Test
    void latenessClassesFollowTheEmissionDelayWithAGapAroundTheBound() {
        SimulatorConfig config =
                SimulatorConfig.builder()
                        .eventsPerSecond(20)
                        .duration(Duration.ofMinutes(40))
                        .dirt(Dirt.LATE_FLUSH, 60)
                        .dirt(Dirt.BEYOND_BOUND, 0.01)
                        .build();
        GroundTruth truth = TrafficSimulator.generate(config).groundTruth();

        assertThat(truth.latenessCounts()).containsOnlyKeys(Lateness.values());
        for (LogicalRequest request : truth.distinctRequests().values()) {
            long delay = request.emissionTimeMs() - request.eventTimeMs();
            switch (request.lateness()) {
                case ON_TIME -> assertThat(delay).isBetween(0L, 5_000L);
                case LATE_WITHIN_BOUND -> assertThat(delay).isBetween(5_001L, 8 * 60_000L);
                case BEYOND_BOUND -> assertThat(delay).isBetween(13 * 60_000L, 30 * 60_000L + 250);
            }
        }
        assertThat(truth.beyondBoundByWindow().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(truth.latenessCounts().get(Lateness.BEYOND_BOUND));
        assertThat(truth.latenessCounts().get(Lateness.LATE_WITHIN_BOUND)).isGreaterThan(100);
    }

    @Test
    void stalledForwarderFlushesItsHeldLinesTogether() {
        SimulatorConfig config =
                small().scenario(Scenario.EMEA_AUTH_OUTAGE)
                        .duration(Duration.ofMinutes(20))
                        .eventsPerSecond(20)
                        .dirt(Dirt.LATE_FLUSH, 0)
                        .build();
        GroundTruth truth = TrafficSimulator.generate(config).groundTruth();
        long flush = truth.phase("recovery").startMs();

        List<LogicalRequest> late =
                truth.distinctRequests().values().stream()
                        .filter(r -> r.lateness() == Lateness.LATE_WITHIN_BOUND)
                        .toList();

        assertThat(late).isNotEmpty();
        assertThat(late)
                .allSatisfy(r -> assertThat(r.availabilityZone()).isEqualTo("emea-west-1b"))
                .allSatisfy(r -> assertThat(r.emissionTimeMs()).isEqualTo(flush));
    }
}
