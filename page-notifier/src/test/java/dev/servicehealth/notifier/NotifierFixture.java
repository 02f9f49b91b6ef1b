package dev.servicehealth.notifier;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;

/**
 * A notifier for a test: running in the background, re-sending every second so that a test sees
 * Alertmanager's state soon, without a scrape endpoint.
 */
public final class NotifierFixture {
    private NotifierFixture() {}

    /**
     * Reads {@code pagesTopic} and {@code statusTopic} and posts to {@code alertmanager}, a resolve
     * {@code minFiring} after its firing at the earliest.
     */
    public static Notifier running(
            String bootstrapServers,
            String pagesTopic,
            String statusTopic,
            URI alertmanager,
            Duration minFiring,
            MeterRegistry meters) {
        return Notifier.startInBackground(
                NotifierConfig.fromArgs(
                        "--bootstrap-servers",
                        bootstrapServers,
                        "--topic.pages",
                        pagesTopic,
                        "--topic.dedup.status",
                        statusTopic,
                        "--alertmanager-url",
                        alertmanager.toString(),
                        "--resend-interval",
                        "1 s",
                        "--min-firing",
                        minFiring.toMillis() + " ms",
                        "--metrics-port",
                        "-1"),
                meters);
    }
}
