package dev.servicehealth.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servicehealth.localalertmanager.AlertReceiver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveViewTest {
    @Test
    void showsRatesSinceThePreviousFrameAndDeadLettersByReason() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Counter gateway =
                Counter.builder("normalizer.records.in")
                        .tag("source", "gateway")
                        .register(registry);
        Counter malformed =
                Counter.builder("normalizer.dead.letters")
                        .tag("source", "gateway")
                        .tag("reason", "malformed_json")
                        .register(registry);
        LiveView view = new LiveView(registry);
        gateway.increment(100);
        view.frame(10_000, "running");
        gateway.increment(500);
        malformed.increment(3);

        String frame = view.frame(12_000, "running");

        assertThat(frame).contains("gateway 250 (600)").contains("malformed_json 3");
    }

    @Test
    void showsDroppedRetriesAndTheDedupState() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Counter auth =
                Counter.builder("dedup.duplicates.dropped")
                        .tag("kind", "request")
                        .tag("source", "auth")
                        .register(registry);
        Gauge.builder("flink.state.keys", () -> 1234)
                .tag("state", "first-copy-digest")
                .register(registry);
        Gauge.builder("flink.checkpoint.duration", () -> 42)
                .tag("job", "dedup-job")
                .register(registry);
        LiveView view = new LiveView(registry);
        view.frame(10_000, "running");
        auth.increment(20);

        String frame = view.frame(12_000, "running");

        assertThat(frame)
                .contains("auth 10 (20)")
                .contains("1,234 keys")
                .contains("dedup-job 42 ms");
    }

    @Test
    void showsKpiRowsLateEventsAndFreshness() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Counter early =
                Counter.builder("aggregator.firings")
                        .tag("grain", "service")
                        .tag("firing", "early")
                        .register(registry);
        Counter.builder("aggregator.too.late.events")
                .tag("grain", "service")
                .register(registry)
                .increment(7);
        DistributionSummary freshness =
                DistributionSummary.builder("aggregator.freshness")
                        .tag("grain", "service")
                        .tag("firing", "early")
                        .serviceLevelObjectives(1_000, 5_000, 15_000)
                        .register(registry);
        LiveView view = new LiveView(registry);
        view.frame(10_000, "running");
        early.increment(40);
        for (int i = 0; i < 100; i++) {
            freshness.record(3_000);
        }

        String frame = view.frame(12_000, "running");

        assertThat(frame)
                .contains("early 20 (40)")
                .contains("too late 7")
                .contains("freshness p95 ≤ 5 s");
    }

    @Test
    void boundsTheEventLagP95ByTheHistogramBucket() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DistributionSummary lag =
                DistributionSummary.builder("normalizer.event.lag")
                        .tag("source", "auth")
                        .serviceLevelObjectives(1_000, 5_000, 15_000)
                        .register(registry);
        for (int i = 0; i < 90; i++) {
            lag.record(500);
        }
        for (int i = 0; i < 10; i++) {
            lag.record(4_000);
        }

        assertThat(new LiveView(registry).frame(1_000, "running")).contains("auth ≤ 5 s");
    }

    @Test
    void showsThePagerAndTheAlertsAlertmanagerHolds() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Counter.builder("pager.pages")
                .tag("severity", "page")
                .tag("state", "firing")
                .register(registry)
                .increment();
        DistributionSummary.builder("pager.signal.to.page")
                .tag("severity", "page")
                .serviceLevelObjectives(1_000, 5_000, 15_000, 30_000)
                .register(registry)
                .record(12_000);
        JsonNode alerts =
                new ObjectMapper()
                        .readTree(
                                "[{\"labels\":{\"severity\":\"page\",\"level\":\"region\","
                                        + "\"scope\":\"EMEA\"},\"startsAt\":\"2026-12-01T21:00:00Z\","
                                        + "\"annotations\":{\"summary\":\"PAGE: region EMEA burns"
                                        + " auth_availability.premium\"}}]");

        assertThat(new LiveView(registry).frame(1_000, "running"))
                .contains("pages 1 firing 0 resolved")
                .contains("signal to page p95 ≤ 15 s");
        assertThat(LiveView.activeAlerts(alerts))
                .isEqualTo(
                        "alert        PAGE region EMEA since 2026-12-01T21:00:00Z: PAGE: region EMEA"
                                + " burns auth_availability.premium\n");
        assertThat(LiveView.activeAlerts(new ObjectMapper().readTree("[]")))
                .contains("none active");
        long startsAt = Instant.parse("2026-12-01T21:00:00Z").toEpochMilli();
        JsonNode firing =
                new ObjectMapper()
                        .readTree(
                                "{\"status\":\"firing\",\"alerts\":[{\"labels\":{\"page\":"
                                        + "\"PAGE|REGION|EMEA\"},\"startsAt\":\"2026-12-01T21:00:00Z\"}]}");
        assertThat(
                        LiveView.notifiedPages(
                                List.of(
                                        new AlertReceiver.Received(startsAt + 17_300, firing),
                                        new AlertReceiver.Received(startsAt + 60_000, firing))))
                .isEqualTo("notified    PAGE|REGION|EMEA 17.3 s after its burn began\n");
    }
}
