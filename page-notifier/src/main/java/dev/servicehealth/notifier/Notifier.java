package dev.servicehealth.notifier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.servicehealth.model.EventCodec;
import dev.servicehealth.model.pager.AlertState;
import dev.servicehealth.model.pager.PageJson;
import dev.servicehealth.model.pager.ScopePage;
import dev.servicehealth.runtime.ThrottledLog;
import dev.servicehealth.runtime.clock.PipelineClock;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the pager's pages to Alertmanager. It reads the pages topic read_committed from its
 * beginning (compacted: the latest record of each page), so it keeps no state of its own: a
 * restarted notifier, or a second one, knows every open page. Nothing is posted until it has read
 * up to where the topic ended at start, so a page that fired and resolved before is never sent as
 * firing again. Then every change is posted as it is read, and every firing page again each re-send
 * interval with an end a few intervals ahead, as Prometheus does: Alertmanager ends the alert by
 * itself if the notifier stops. A resolved page is posted with its end, once the page has been
 * firing at Alertmanager for {@code min-firing}: longer than the route's group wait, so that a page
 * read together with its resolve (a backlog) is still notified, then resolved. A post that fails is
 * posted again; Alertmanager takes the same alert any number of times.
 *
 * <p>It reads the deduplicated status events too, and posts each page with the deploys, flag
 * changes and incidents around it; a change read after its page was first sent is on the next
 * re-send.
 */
public final class Notifier implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration POST_TIMEOUT = Duration.ofSeconds(5);
    private static final long ENDS_AFTER_RESENDS = 4;
    private static final Duration STATUS_HISTORY = Duration.ofDays(1);

    private final NotifierConfig config;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final NotifierMetrics metrics;
    private final RecentChanges changes;
    private final LongSupplier clock;
    private final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(POST_TIMEOUT)
                    .build();
    private final ThrottledLog<String> failures =
            new ThrottledLog<>(ThrottledLog.DEFAULT_INTERVAL_MS);

    private final Map<String, ScopePage> firing = new LinkedHashMap<>();
    private final Map<String, ScopePage> unsentFiring = new LinkedHashMap<>();
    private final Map<String, ScopePage> pendingResolve = new LinkedHashMap<>();
    private final Map<String, Long> firingSince = new HashMap<>();
    private final Set<String> firstSendDue = new HashSet<>();
    private final Map<TopicPartition, Long> endAtStart = new HashMap<>();
    private boolean caughtUp;
    private long lastResendMs = Long.MIN_VALUE;
    private long nextAttemptMs = Long.MIN_VALUE;
    private volatile boolean closed;

    private Notifier(NotifierConfig config, MeterRegistry registry, LongSupplier clock) {
        this.config = config;
        this.clock = clock;
        this.changes = new RecentChanges(config.changeLookback());
        this.metrics = new NotifierMetrics(registry, firing::size);
        this.consumer = new KafkaConsumer<>(consumerProperties(config.bootstrapServers()));
    }

    /**
     * Connects to Kafka and places the reads: the pages topic from its beginning, the status topic
     * from a day before now.
     *
     * @throws IllegalStateException naming a topic that does not exist
     */
    public static Notifier start(NotifierConfig config, MeterRegistry registry) {
        Notifier notifier = new Notifier(config, registry, System::currentTimeMillis);
        try {
            notifier.assign();
        } catch (RuntimeException e) {
            notifier.consumer.close();
            throw e;
        }
        return notifier;
    }

    private static Properties consumerProperties(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return props;
    }

    private void assign() {
        List<TopicPartition> pages = partitions(config.pagesTopic());
        List<TopicPartition> status = partitions(config.statusTopic());
        List<TopicPartition> all = new ArrayList<>(pages);
        all.addAll(status);
        consumer.assign(all);
        consumer.seekToBeginning(pages);
        endAtStart.putAll(consumer.endOffsets(pages));
        Map<TopicPartition, Long> since = new HashMap<>();
        long from = clock.getAsLong() - STATUS_HISTORY.toMillis();
        for (TopicPartition partition : status) {
            since.put(partition, from);
        }
        for (Map.Entry<TopicPartition, OffsetAndTimestamp> found :
                consumer.offsetsForTimes(since).entrySet()) {
            if (found.getValue() == null) {
                consumer.seekToEnd(List.of(found.getKey()));
            } else {
                consumer.seek(found.getKey(), found.getValue().offset());
            }
        }
        LOG.info(
                "notifier reads {} ({} partitions) and {} ({}), posts to {}",
                config.pagesTopic(),
                pages.size(),
                config.statusTopic(),
                status.size(),
                config.alertmanagers());
    }

    private List<TopicPartition> partitions(String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist");
        }
        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    /** Reads and posts until {@link #close()}. */
    @Override
    public void run() {
        try {
            while (!closed) {
                step();
            }
        } catch (WakeupException stopping) {
            if (!closed) {
                throw stopping;
            }
        } finally {
            consumer.close();
        }
    }

    /** One poll, then whatever is due to post. */
    void step() {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
            if (record.topic().equals(config.pagesTopic())) {
                readPage(record);
            } else {
                readChange(record);
            }
        }
        if (!caughtUp) {
            caughtUp = true;
            for (Map.Entry<TopicPartition, Long> end : endAtStart.entrySet()) {
                caughtUp &= consumer.position(end.getKey()) >= end.getValue();
            }
            if (!caughtUp) {
                return;
            }
            LOG.info("notifier read the pages topic: {} pages open", firing.size());
        }
        post();
    }

    private void readPage(ConsumerRecord<byte[], byte[]> record) {
        ScopePage page;
        try {
            page = PageJson.read(record.value());
        } catch (IOException | RuntimeException e) {
            metrics.unreadablePage();
            LOG.error(
                    "unreadable page at {}-{}@{}, skipped: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.toString());
            return;
        }
        String key = page.pageKey();
        boolean live =
                record.offset()
                        >= endAtStart.get(new TopicPartition(record.topic(), record.partition()));
        if (page.state() == AlertState.RESOLVED) {
            firing.remove(key);
            if (!live) {
                // read back at start: a page resolved before is not sent as firing again
                unsentFiring.remove(key);
                if (clock.getAsLong() - page.evaluatedAtMs() > STATUS_HISTORY.toMillis()) {
                    // resolved long ago: Alertmanager has long ended it
                    pendingResolve.remove(key);
                    return;
                }
            }
            // a firing not sent yet is sent first: a page read together with its resolve (a
            // backlog) still pages, then resolves
            pendingResolve.put(key, page);
        } else {
            if (live && !firing.containsKey(key) && !pendingResolve.containsKey(key)) {
                firstSendDue.add(key);
            }
            firing.put(key, page);
            unsentFiring.put(key, page);
            pendingResolve.remove(key);
        }
    }

    private void readChange(ConsumerRecord<byte[], byte[]> record) {
        if (PipelineClock.markOf(record).isPresent()) {
            return;
        }
        try {
            changes.add(EventCodec.decodeStatus(record.value()));
        } catch (RuntimeException e) {
            metrics.undecodableStatus();
            LOG.error(
                    "undecodable status event at {}-{}@{}, skipped: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.toString());
        }
    }

    private void post() {
        long now = clock.getAsLong();
        if (now < nextAttemptMs) {
            return;
        }
        long resendMs = config.resendInterval().toMillis();
        boolean resend = lastResendMs == Long.MIN_VALUE || now - lastResendMs >= resendMs;
        Map<String, ScopePage> batch = new LinkedHashMap<>(unsentFiring);
        if (resend) {
            firing.forEach(batch::putIfAbsent);
        }
        long minFiringMs = config.minFiring().toMillis();
        for (Map.Entry<String, ScopePage> resolve : pendingResolve.entrySet()) {
            Long since = firingSince.get(resolve.getKey());
            if (!unsentFiring.containsKey(resolve.getKey())
                    && (since == null || now - since >= minFiringMs)) {
                batch.put(resolve.getKey(), resolve.getValue());
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        ArrayNode alerts = JsonNodeFactory.instance.arrayNode();
        for (ScopePage page : batch.values()) {
            long endsAt =
                    page.state() == AlertState.RESOLVED
                            ? Math.min(page.evaluatedAtMs(), now)
                            : now + ENDS_AFTER_RESENDS * resendMs;
            alerts.add(PageAlert.of(page, changes.of(page), config.grafanaUrl(), endsAt));
        }
        boolean allAccepted = true;
        boolean anyAccepted = false;
        for (URI alertmanager : config.alertmanagers()) {
            NotifierMetrics.Outcome outcome = send(alertmanager, alerts.toString());
            for (ScopePage page : batch.values()) {
                metrics.posted(page, outcome);
            }
            allAccepted &= outcome == NotifierMetrics.Outcome.ACCEPTED;
            anyAccepted |= outcome == NotifierMetrics.Outcome.ACCEPTED;
        }
        long acceptedAt = clock.getAsLong();
        if (anyAccepted) {
            for (ScopePage page : batch.values()) {
                if (page.state() != AlertState.RESOLVED) {
                    firingSince.putIfAbsent(page.pageKey(), acceptedAt);
                }
                if (firstSendDue.remove(page.pageKey())) {
                    metrics.signalToPage(page, acceptedAt);
                }
            }
        }
        if (allAccepted) {
            for (ScopePage page : batch.values()) {
                if (page.state() == AlertState.RESOLVED) {
                    pendingResolve.remove(page.pageKey());
                    firingSince.remove(page.pageKey());
                } else {
                    unsentFiring.remove(page.pageKey());
                }
            }
            if (resend) {
                lastResendMs = now;
            }
        } else {
            nextAttemptMs = now + RETRY.toMillis();
        }
    }

    private NotifierMetrics.Outcome send(URI alertmanager, String body) {
        String url = alertmanager.toString().replaceAll("/+$", "") + "/api/v2/alerts";
        try {
            HttpResponse<String> response =
                    http.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .timeout(POST_TIMEOUT)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return NotifierMetrics.Outcome.ACCEPTED;
            }
            logFailure(url, "answered " + response.statusCode() + ": " + response.body());
            return NotifierMetrics.Outcome.REFUSED;
        } catch (IOException e) {
            logFailure(url, e.toString());
            return NotifierMetrics.Outcome.UNREACHABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NotifierMetrics.Outcome.UNREACHABLE;
        }
    }

    private void logFailure(String url, String what) {
        long skipped = failures.admit(url, clock.getAsLong());
        if (skipped >= 0) {
            LOG.warn(
                    "POST {} failed, posting again in {}: {} ({} failures not logged)",
                    url,
                    RETRY,
                    what,
                    skipped);
        }
    }

    /** Stops {@link #run()} from another thread; it closes the consumer on its way out. */
    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
    }
}
