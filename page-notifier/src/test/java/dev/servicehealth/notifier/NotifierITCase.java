package dev.servicehealth.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servicehealth.localalertmanager.AlertReceiver;
import dev.servicehealth.localalertmanager.LocalAlertmanager;
import dev.servicehealth.model.EventCodec;
import dev.servicehealth.model.Region;
import dev.servicehealth.model.StatusEvent;
import dev.servicehealth.model.StatusKind;
import dev.servicehealth.model.catalog.BurnRateRule;
import dev.servicehealth.model.catalog.PipelineMetric;
import dev.servicehealth.model.pager.AlertState;
import dev.servicehealth.model.pager.PageJson;
import dev.servicehealth.model.pager.ScopeLevel;
import dev.servicehealth.model.pager.ScopePage;
import dev.servicehealth.testing.SharedKafkaBroker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notifier between a real broker and a real Alertmanager, which routes to a receiver recording
 * the webhook notifications and the PagerDuty events it sends. Pages are written to the pages topic
 * as the pager writes them.
 */
class NotifierITCase {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension static final SharedKafkaBroker KAFKA = new SharedKafkaBroker();

    @TempDir Path tmp;

    private AlertReceiver receiver;
    private LocalAlertmanager alertmanager;
    private final List<Notifier> running = new ArrayList<>();

    @BeforeEach
    void startAlertmanager() throws Exception {
        receiver = AlertReceiver.start();
        alertmanager = LocalAlertmanager.start(tmp.resolve("alertmanager"), receiver);
    }

    @AfterEach
    void stop() {
        running.forEach(Notifier::close);
        alertmanager.close();
        receiver.close();
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aPageFiresOnceWithTheDeployAroundItAndResolvesWithItsEnd() throws Exception {
        String pages = KAFKA.createCompactedTopic("alerts.pages", 2);
        String status = KAFKA.createTopic("dedup.status", 2);
        long startsAt = System.currentTimeMillis() - 20_000;
        produce(status, "deploy-1", EventCodec.encode(deploy(startsAt - 2_000)));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        start(pages, status, meters);

        ScopePage firing = emeaPage(startsAt, startsAt + 10_000);
        produce(pages, firing.pageKey(), PageJson.write(firing));
        produce(pages, "not-a-page", "{\"severity\":".getBytes(StandardCharsets.UTF_8));

        await("the firing page reached the webhook", () -> notifications("firing") == 1);
        JsonNode alert = receiver.webhookNotifications().get(0).body().path("alerts").get(0);
        assertThat(alert.path("labels").path("page").asText()).isEqualTo(firing.pageKey());
        assertThat(alert.path("labels").path("scope").asText()).isEqualTo("EMEA");
        assertThat(alert.path("annotations").path("changes").asText())
                .contains("identity-2026.11.3");
        assertThat(alert.path("annotations").path("oncall").asText())
                .contains("./oncall regional-availability")
                .contains("./oncall around-change --service identity --region EMEA");
        assertThat(alert.path("annotations").path("objectives").asText())
                .contains("auth_availability.premium: pair 1m/10s");
        assertThat(alertmanager.alerts()).as("Alertmanager holds one alert").hasSize(1);
        await("a PagerDuty trigger", () -> pagerDuty("trigger") == 1);
        await(
                "the record that is no page counted",
                () -> counter(meters, PipelineMetric.PAGER_UNREADABLE_PAGES) == 1);
        DistributionSummary signalToPage =
                meters.find(PipelineMetric.PAGER_SIGNAL_TO_PAGE.meterName()).summary();
        assertThat(signalToPage.count()).isEqualTo(1);
        assertThat(signalToPage.max()).isBetween(20_000.0, 60_000.0);

        // re-sent while firing: an update of the same alert, not a second notification
        double postedBefore = accepted(meters, "firing");
        Thread.sleep(2_500);
        assertThat(accepted(meters, "firing"))
                .as("re-sent")
                .isGreaterThanOrEqualTo(postedBefore + 2);
        assertThat(notifications("firing")).isEqualTo(1);
        assertThat(alertmanager.alerts()).hasSize(1);

        ScopePage resolved = firing.resolved(System.currentTimeMillis() - 1_000);
        produce(pages, resolved.pageKey(), PageJson.write(resolved));
        await("the resolve reached the webhook", () -> notifications("resolved") == 1);
        JsonNode ended =
                receiver.webhookNotifications()
                        .get(receiver.webhookNotifications().size() - 1)
                        .body()
                        .path("alerts")
                        .get(0);
        assertThat(Instant.parse(ended.path("endsAt").asText()).toEpochMilli())
                .as("ended when the page resolved")
                .isEqualTo(resolved.evaluatedAtMs());
        await("a PagerDuty resolve", () -> pagerDuty("resolve") == 1);
        assertThat(alertmanager.alerts()).as("the alert ended").isEmpty();
        assertThat(
                        receiver.pagerDutyEvents().stream()
                                .map(event -> event.body().path("dedup_key").asText())
                                .distinct())
                .as("one PagerDuty incident: trigger and resolve share the dedup key")
                .hasSize(1);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aRestartedNotifierNeitherPagesAgainNorRevivesAResolvedPage() throws Exception {
        String pages = KAFKA.createCompactedTopic("alerts.pages", 2);
        String status = KAFKA.createTopic("dedup.status", 1);
        long startsAt = System.currentTimeMillis() - 60_000;
        ScopePage emea = emeaPage(startsAt, startsAt + 10_000);
        ScopePage zone =
                new ScopePage(
                        BurnRateRule.Severity.PAGE,
                        ScopeLevel.ZONE,
                        "AMER/us-east-1a",
                        AlertState.FIRING,
                        new String[] {"availability.premium"},
                        new String[] {"1h/5m"},
                        new double[] {15.0},
                        new double[] {20.0},
                        new double[] {0.9},
                        new String[0],
                        startsAt,
                        startsAt + 30_000,
                        startsAt + 30_000);
        produce(pages, emea.pageKey(), PageJson.write(emea));
        produce(pages, zone.pageKey(), PageJson.write(zone));
        Notifier first = start(pages, status, new SimpleMeterRegistry());
        await("both pages notified", () -> notifications("firing") == 2);
        ScopePage zoneResolved = zone.resolved(System.currentTimeMillis() - 1_000);
        produce(pages, zone.pageKey(), PageJson.write(zoneResolved));
        await("the zone resolved", () -> notifications("resolved") == 1);
        first.close();

        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        start(pages, status, meters);
        await(
                "the restarted notifier re-sent the open page",
                () -> counter(meters, PipelineMetric.PAGER_NOTIFICATIONS) >= 2);
        Thread.sleep(2_500);
        assertThat(notifications("firing")).as("no second page").isEqualTo(2);
        assertThat(alertmanager.alerts())
                .extracting(alert -> alert.path("labels").path("page").asText())
                .containsExactly(emea.pageKey());
        assertThat(meters.find(PipelineMetric.PAGER_SIGNAL_TO_PAGE.meterName()).summary())
                .as("pages read back at start are not new signals")
                .satisfiesAnyOf(
                        summary -> assertThat(summary).isNull(),
                        summary -> assertThat(summary.count()).isZero());
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aPageReadTogetherWithItsResolveStillPagesThenResolves() throws Exception {
        String pages = KAFKA.createCompactedTopic("alerts.pages", 1);
        String status = KAFKA.createTopic("dedup.status", 1);
        start(pages, status, new SimpleMeterRegistry());
        long startsAt = System.currentTimeMillis() - 3_600_000;
        ScopePage firing = emeaPage(startsAt, startsAt + 10_000);
        ScopePage resolved = firing.resolved(startsAt + 600_000);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        KAFKA.producerProperties(),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            byte[] key = firing.pageKey().getBytes(StandardCharsets.UTF_8);
            producer.send(new ProducerRecord<>(pages, key, PageJson.write(firing)));
            producer.send(new ProducerRecord<>(pages, key, PageJson.write(resolved)));
        }

        await("paged, then resolved", () -> notifications("resolved") == 1);
        assertThat(receiver.webhookNotifications())
                .extracting(n -> n.body().path("status").asText())
                .containsExactly("firing", "resolved");
        assertThat(alertmanager.alerts()).isEmpty();
    }

    private Notifier start(String pages, String status, SimpleMeterRegistry meters) {
        Notifier notifier =
                NotifierFixture.running(
                        KAFKA.bootstrapServers(),
                        pages,
                        status,
                        alertmanager.url(),
                        Duration.ofSeconds(2),
                        meters);
        running.add(notifier);
        return notifier;
    }

    private static ScopePage emeaPage(long startsAt, long evaluatedAt) {
        return new ScopePage(
                BurnRateRule.Severity.PAGE,
                ScopeLevel.REGION,
                "EMEA",
                AlertState.FIRING,
                new String[] {"auth_availability.premium"},
                new String[] {"1m/10s"},
                new double[] {52.0},
                new double[] {90.0},
                new double[] {0.97},
                new String[] {"auth_availability.premium|GLOBAL|all|PAGE"},
                startsAt,
                evaluatedAt,
                startsAt + 10_000);
    }

    private static StatusEvent deploy(long atMs) {
        return new StatusEvent(
                "deploy-1",
                StatusKind.DEPLOY,
                "argo",
                Region.EMEA,
                "identity",
                "",
                atMs,
                "deploy identity-2026.11.3 to EMEA (new HSM client pool)",
                "identity-2026.11.3",
                atMs);
    }

    private static void produce(String topic, String key, byte[] value) {
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        KAFKA.producerProperties(),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
        }
    }

    private long notifications(String status) {
        return receiver.webhookNotifications().stream()
                .filter(n -> n.body().path("status").asText().equals(status))
                .count();
    }

    private long pagerDuty(String action) {
        return receiver.pagerDutyEvents().stream()
                .filter(event -> event.body().path("event_action").asText().equals(action))
                .count();
    }

    private static double accepted(SimpleMeterRegistry meters, String state) {
        return meters
                .find(PipelineMetric.PAGER_NOTIFICATIONS.meterName())
                .tag("state", state)
                .tag("outcome", "accepted")
                .counters()
                .stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private static double counter(SimpleMeterRegistry meters, PipelineMetric metric) {
        return meters.find(metric.meterName()).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime())
                    .as(
                            "%s; webhook: %s; Alertmanager log:%n%s",
                            what, receiver.webhookNotifications(), alertmanager.log())
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
