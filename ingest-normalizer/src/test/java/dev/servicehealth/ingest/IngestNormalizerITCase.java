package dev.servicehealth.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.ingest.reference.ReferenceUpdate;
import dev.servicehealth.ingest.reference.ReferenceUpdatePublisher;
import dev.servicehealth.model.DeadLetter;
import dev.servicehealth.model.DeadLetterReason;
import dev.servicehealth.model.EventCodec;
import dev.servicehealth.model.EventKind;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.TenantTier;
import dev.servicehealth.model.privacy.TenantKeyFile;
import dev.servicehealth.model.privacy.TenantTokenizer;
import dev.servicehealth.model.reference.ReferenceData;
import dev.servicehealth.runtime.clock.PipelineClock;
import dev.servicehealth.simulator.GroundTruth;
import dev.servicehealth.simulator.LogicalRequest;
import dev.servicehealth.simulator.RequestKey;
import dev.servicehealth.simulator.Scenario;
import dev.servicehealth.simulator.SimulatedRecord;
import dev.servicehealth.simulator.SimulatorConfig;
import dev.servicehealth.simulator.TopicNames;
import dev.servicehealth.simulator.TrafficSimulator;
import dev.servicehealth.testing.SharedKafkaBroker;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The normalizer end to end: simulator traffic (retries, late and too-late events, malformed
 * bursts, drift, skewed tenants) on a real broker, the job on a MiniCluster at parallelism 2, and
 * the outputs read with read_committed. The expected counts come from the simulator's ground truth,
 * never from the input topics.
 */
class IngestNormalizerITCase {
    private static final int PARTITIONS = 3;
    private static final String DOWNGRADED_TENANT = "ACME";

    @RegisterExtension static final SharedKafkaBroker KAFKA = new SharedKafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK = NormalizerJobFixture.miniCluster(1, 2);

    @TempDir Path tmp;

    private SimpleMeterRegistry meters;

    @BeforeEach
    void addMeterRegistry() {
        meters = new SimpleMeterRegistry();
        Metrics.addRegistry(meters);
    }

    @AfterEach
    void removeMeterRegistry() {
        Metrics.removeRegistry(meters);
        meters.close();
    }

    @Test
    void normalizesOrDeadLettersEveryRecordOfTheEmeaOutage() throws Exception {
        NormalizerJobFixture.Topics topics = NormalizerJobFixture.Topics.create(KAFKA, PARTITIONS);
        TopicNames raw = topics.rawTopicNames();

        // recent event times: brokers refuse timestamps far in the future, retention deletes old
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(30));
        TrafficSimulator.Generation traffic =
                TrafficSimulator.generate(
                        SimulatorConfig.builder()
                                .seed(20261122L)
                                .scenario(Scenario.EMEA_AUTH_OUTAGE)
                                .start(start)
                                .duration(Duration.ofMinutes(4))
                                .eventsPerSecond(100)
                                .topics(raw)
                                .build());
        GroundTruth truth = traffic.groundTruth();
        produce(traffic.records());

        // a tier change published before the job starts: the job must enrich with it
        ReferenceUpdatePublisher.publish(
                KAFKA.bootstrapServers(),
                topics.reference(),
                List.of(ReferenceUpdate.tenantTier(DOWNGRADED_TENANT, "STANDARD")));
        Path keyFile = tmp.resolve("tenant.key");
        byte[] key = TenantKeyFile.writeRandom(keyFile);
        NormalizerJobFixture.run(KAFKA.bootstrapServers(), topics, keyFile);

        List<ConsumerRecord<byte[], byte[]>> requestOut = drainAll(topics.requests());
        List<ConsumerRecord<byte[], byte[]>> metricOut = drainAll(topics.metrics());
        List<ConsumerRecord<byte[], byte[]>> statusOut = drainAll(topics.status());
        List<ConsumerRecord<byte[], byte[]>> deadOut = drainAll(topics.deadLetters());

        assertThat((long) requestOut.size()).isEqualTo(truth.expectedNormalized(EventKind.REQUEST));
        assertThat((long) metricOut.size())
                .isEqualTo(truth.expectedNormalized(EventKind.METRIC_SAMPLE));
        assertThat((long) statusOut.size()).isEqualTo(truth.expectedNormalized(EventKind.STATUS));
        Map<DeadLetterReason, Long> deadByReason =
                deadOut.stream()
                        .map(r -> EventCodec.decodeDeadLetter(r.value()).reason())
                        .collect(
                                Collectors.groupingBy(
                                        r -> r,
                                        () -> new EnumMap<>(DeadLetterReason.class),
                                        Collectors.counting()));
        assertThat(deadByReason).isEqualTo(truth.expectedDeadLetters());
        assertThat(truth.expectedDeadLetters()).hasSizeGreaterThanOrEqualTo(6);

        assertEveryDeadLetterCarriesItsOriginalRecord(deadOut, traffic.records());
        assertRequestsAreTokenizedAndComplete(requestOut, truth, new TenantTokenizer(key));
        assertMetersAgreeWithTheOutput(deadByReason, requestOut.size());
    }

    private static void produce(List<SimulatedRecord> records) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        KAFKA.producerProperties(),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            for (SimulatedRecord r : records) {
                sent.add(
                        producer.send(
                                new ProducerRecord<>(
                                        r.topic(), null, r.timestampMs(), r.key(), r.value())));
            }
            producer.flush();
        }
        for (Future<RecordMetadata> ack : sent) {
            ack.get();
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> drainAll(String topic) {
        return KAFKA.drainUntilQuiet(topic, Duration.ofSeconds(3), Duration.ofSeconds(60), true);
    }

    private static void assertEveryDeadLetterCarriesItsOriginalRecord(
            List<ConsumerRecord<byte[], byte[]>> deadOut, List<SimulatedRecord> input) {
        Set<String> originals = new HashSet<>();
        for (SimulatedRecord r : input) {
            if (r.expectation().isDeadLettered()) {
                originals.add(r.topic() + "|" + Base64.getEncoder().encodeToString(r.value()));
            }
        }
        for (ConsumerRecord<byte[], byte[]> record : deadOut) {
            DeadLetter letter = EventCodec.decodeDeadLetter(record.value());
            assertThat(originals)
                    .as("dead letter %s at offset %d", letter.reason(), letter.sourceOffset())
                    .contains(
                            letter.sourceTopic()
                                    + "|"
                                    + Base64.getEncoder().encodeToString(letter.originalValue()));
            assertThat(letter.detail()).isNotBlank();
        }
    }

    private static void assertRequestsAreTokenizedAndComplete(
            List<ConsumerRecord<byte[], byte[]>> requestOut,
            GroundTruth truth,
            TenantTokenizer tokenizer) {
        Set<String> clearTenants = ReferenceData.bundled().tenants().all().keySet();
        Set<RequestKey> seen = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : requestOut) {
            RequestEvent event = EventCodec.decodeRequest(record.value());
            RequestKey key = new RequestKey(event.source(), event.requestId());
            assertThat(new String(record.key(), StandardCharsets.UTF_8))
                    .isEqualTo(event.dedupKey());
            LogicalRequest expected = truth.distinctRequests().get(key);
            assertThat(expected).as("request %s is in the ground truth", key).isNotNull();
            RequestEvent expectedEvent =
                    expected.toRequestEvent(
                            tokenizer.token(expected.tenantId()), event.ingestTimeMs());
            assertThat(event)
                    .as("request %s", key)
                    .usingRecursiveComparison()
                    // absent latencies are NaN on both sides
                    .withEqualsForType((a, b) -> Double.compare(a, b) == 0, Double.class)
                    .ignoringFields("availabilityZone", "userAgent", "dependency", "tenantTier")
                    .isEqualTo(expectedEvent);
            assertThat(event.tenantTier())
                    .isEqualTo(
                            expected.tenantId().equals(DOWNGRADED_TENANT)
                                    ? TenantTier.STANDARD
                                    : expected.tenantTier());
            assertThat(event.availabilityZone())
                    .isEqualTo(nullToEmpty(expectedEvent.availabilityZone()));
            assertThat(event.userAgent()).isEqualTo(nullToEmpty(expectedEvent.userAgent()));
            assertThat(event.dependency()).isEqualTo(nullToEmpty(expectedEvent.dependency()));
            assertThat(PipelineClock.eventTimeOf(record)).isEqualTo(expected.eventTimeMs());
            assertThat(record.timestamp())
                    .as(
                            "the clock: the raw partition's newest timestamp less the 10 s bound; the"
                                    + " first copy's own, a retry's later")
                    .isGreaterThanOrEqualTo(expected.emissionTimeMs() - 10_001);
            for (String field :
                    Arrays.asList(
                            event.tenantToken(),
                            event.availabilityZone(),
                            event.endpoint(),
                            event.userAgent(),
                            event.dependency())) {
                assertThat(clearTenants).doesNotContain(field);
            }
            seen.add(key);
        }
        assertThat(seen).isEqualTo(truth.distinctRequests().keySet());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private void assertMetersAgreeWithTheOutput(
            Map<DeadLetterReason, Long> deadByReason, int requestCount) {
        for (Map.Entry<DeadLetterReason, Long> entry : deadByReason.entrySet()) {
            double counted =
                    meters
                            .find("normalizer.dead.letters")
                            .tag("reason", entry.getKey().code())
                            .counters()
                            .stream()
                            .mapToDouble(c -> c.count())
                            .sum();
            assertThat(counted).as(entry.getKey().code()).isEqualTo(entry.getValue().doubleValue());
        }
        assertThat(meters.get("normalizer.events.out").tag("kind", "request").counter().count())
                .isEqualTo(requestCount);
    }
}
