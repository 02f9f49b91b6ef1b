package dev.servicehealth.ingest.reference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.model.TenantTier;
import dev.servicehealth.model.reference.ReferenceData;
import dev.servicehealth.testing.SharedKafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The reference feed against a real broker: the whole topic at start, then live updates. */
class ReferenceFeedTest {
    @RegisterExtension static final SharedKafkaBroker KAFKA = new SharedKafkaBroker();

    private final List<String> applied = new CopyOnWriteArrayList<>();
    private final List<String> rejected = new CopyOnWriteArrayList<>();
    private final ReferenceFeed.Listener listener =
            new ReferenceFeed.Listener() {
                @Override
                public void applied(ReferenceUpdate update) {
                    applied.add(update.key());
                }

                @Override
                public void rejected(ReferenceUpdate update, String why) {
                    rejected.add(update.key());
                }
            };

    private ReferenceFeed start(String topic) {
        return ReferenceFeed.start(
                KAFKA.bootstrapServers(),
                topic,
                ReferenceData.bundled(),
                listener,
                Duration.ofSeconds(30));
    }

    @Test
    void readsTheWholeTopicBeforeStarting() throws Exception {
        String topic = KAFKA.createCompactedTopic("reference", 1);
        ReferenceUpdatePublisher.publish(
                KAFKA.bootstrapServers(),
                topic,
                List.of(
                        ReferenceUpdate.tenantTier("NEWCO", "PREMIUM"),
                        ReferenceUpdate.tenantTier("ACME", "FREE"),
                        ReferenceUpdate.tenantTier("ACME", null)));
        try (ReferenceFeed feed = start(topic)) {
            assertThat(feed.current().tierOf("NEWCO")).isEqualTo(TenantTier.PREMIUM);
            assertThat(feed.current().tierOf("ACME")).isEqualTo(TenantTier.PREMIUM);
            assertThat(applied).hasSize(3);
        }
    }

    @Test
    void followsUpdatesWhileRunning() throws Exception {
        String topic = KAFKA.createCompactedTopic("reference", 1);
        try (ReferenceFeed feed = start(topic)) {
            assertThat(feed.current().tierOf("LATECO")).isEqualTo(TenantTier.UNKNOWN);
            ReferenceUpdatePublisher.publish(
                    KAFKA.bootstrapServers(),
                    topic,
                    List.of(
                            ReferenceUpdate.tenantTier("LATECO", "STANDARD"),
                            ReferenceUpdate.endpoint(
                                    "/services/billing/v1/invoices/{id}", "Platform", "billing")));
            // the two updates may arrive in different polls: wait for the view that has both
            await(
                    () ->
                            feed.current().tierOf("LATECO") == TenantTier.STANDARD
                                    && feed.current()
                                            .resolve("/services/billing/v1/invoices/7")
                                            .isPresent());
        }
    }

    @Test
    void countsInvalidUpdatesAndKeepsGoing() throws Exception {
        String topic = KAFKA.createCompactedTopic("reference", 1);
        ReferenceUpdatePublisher.publish(
                KAFKA.bootstrapServers(),
                topic,
                List.of(
                        new ReferenceUpdate("tenant:BADCO", "GOLD"),
                        ReferenceUpdate.tenantTier("GOODCO", "FREE")));
        try (ReferenceFeed feed = start(topic)) {
            assertThat(rejected).containsExactly("tenant:BADCO");
            assertThat(feed.current().tierOf("GOODCO")).isEqualTo(TenantTier.FREE);
        }
    }

    @Test
    void startsOnTheSeedsWhenTheTopicDoesNotExistYet() throws Exception {
        try (ReferenceFeed feed = start("reference-never-created")) {
            assertThat(feed.current().tierOf("ACME")).isEqualTo(TenantTier.PREMIUM);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within 20 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
