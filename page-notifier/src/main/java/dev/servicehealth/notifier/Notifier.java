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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * read together with its resolve (a backlog) is still notified, then resolved. Each Alertmanager of
 * the cluster is posted to at once and keeps its own account of what it still has to be sent: one
 * that fails is posted again a second later, on its own. Alertmanager takes the same alert any
 * number of times. A record that cannot become an alert is counted and skipped; a record older than
 * what was read of its page already is ignored.
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
    private static final Duration PARTITION_CHECK = Duration.ofMinutes(1);

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
    private final Map<String, Long> newestEvaluatedAt = new HashMap<>();
    private final Set<String> firstSendDue = new HashSet<>();
    private final List<AlertmanagerDelivery> deliveries = new ArrayList<>();
    private final Map<TopicPartition, Long> endAtStart = new HashMap<>();
    private final Map<String, Integer> partitionCounts = new HashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean caughtUp;
    private long partitionsCheckedAtMs;
    private volatile boolean running;
    private volatile boolean closed;

    private Notifier(NotifierConfig config, MeterRegistry registry, LongSupplier clock) {
        this.config = config;
        this.clock = clock;
        this.changes = new RecentChanges(config.changeLookback());
        this.metrics = new NotifierMetrics(registry, firing::size);
        this.consumer = new KafkaConsumer<>(consumerProperties(config.bootstrapServers()));
        for (URI alertmanager : config.alertmanagers()) {
            deliveries.add(new AlertmanagerDelivery(alertmanager));
        }
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

    /** {@link #start}, then {@link #run} on a daemon thread: a notifier beside other work. */
    public static Notifier startInBackground(NotifierConfig config, MeterRegistry registry) {
        Notifier notifier = start(config, registry);
        Thread thread = new Thread(notifier, "page-notifier");
        thread.setDaemon(true);
        thread.start();
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
        partitionCounts.put(topic, infos.size());
        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    /**
     * A topic given more partitions would have some read by nobody: the notifier stops, and its
     * restart reads them all. Checked once a minute.
     */
    private void checkPartitions() {
        long now = clock.getAsLong();
        if (now - partitionsCheckedAtMs < PARTITION_CHECK.toMillis()) {
            return;
        }
        partitionsCheckedAtMs = now;
        for (Map.Entry<String, Integer> topic : partitionCounts.entrySet()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.getKey(), POST_TIMEOUT);
            if (infos != null && infos.size() != topic.getValue()) {
                throw new IllegalStateException(
                        topic.getKey()
                                + " has "
                                + infos.size()
                                + " partitions, not "
                                + topic.getValue()
                                + " as at start: restart the notifier to read them all");
            }
        }
    }

    /**
     * Reads and posts until {@link #close()}.
     *
     * @throws IllegalStateException when a topic's partitions changed (restart to read them all)
     */
    @Override
    public void run() {
        running = true;
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
            stopped.countDown();
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
        checkPartitions();
        post();
    }

    private void readPage(ConsumerRecord<byte[], byte[]> record) {
        ScopePage page;
        try {
            page = PageJson.read(record.value());
            String key =
                    record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            if (!page.pageKey().equals(key)) {
                throw new IllegalArgumentException(
                        "keyed " + key + ", not by its page " + page.pageKey());
            }
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
        Long newest = newestEvaluatedAt.get(key);
        if (newest != null && page.evaluatedAtMs() < newest) {
            // older than what was read of it already (its records in two partitions after the
            // topic grew): what it said is no longer so
            return;
        }
        newestEvaluatedAt.put(key, page.evaluatedAtMs());
        boolean history =
                record.offset()
                        < endAtStart.get(new TopicPartition(record.topic(), record.partition()));
        if (page.state() == AlertState.RESOLVED) {
            firing.remove(key);
            if (history && clock.getAsLong() - page.evaluatedAtMs() > STATUS_HISTORY.toMillis()) {
                // resolved long ago: Alertmanager has long ended it
                newestEvaluatedAt.remove(key);
                deliveries.forEach(delivery -> delivery.forget(key));
                return;
            }
            // a live firing not sent yet is sent first: a page read together with its resolve (a
            // backlog) still pages, then resolves
            deliveries.forEach(delivery -> delivery.resolved(page, history));
        } else {
            if (!history && !firing.containsKey(key)) {
                firstSendDue.add(key);
            }
            firing.put(key, page);
            deliveries.forEach(delivery -> delivery.fired(page));
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

    /** Posts to every Alertmanager what is due for it, all at once. */
    private void post() {
        long now = clock.getAsLong();
        long resendMs = config.resendInterval().toMillis();
        Map<AlertmanagerDelivery, Map<String, ScopePage>> batches = new LinkedHashMap<>();
        Map<AlertmanagerDelivery, CompletableFuture<NotifierMetrics.Outcome>> posts =
                new LinkedHashMap<>();
        for (AlertmanagerDelivery delivery : deliveries) {
            Map<String, ScopePage> batch =
                    delivery.due(now, resendMs, config.minFiring().toMillis(), firing.values());
            if (batch.isEmpty()) {
                continue;
            }
            ArrayNode alerts = JsonNodeFactory.instance.arrayNode();
            for (ScopePage page : batch.values()) {
                long endsAt =
                        page.state() == AlertState.RESOLVED
                                ? Math.min(page.evaluatedAtMs(), now)
                                : now + ENDS_AFTER_RESENDS * resendMs;
                alerts.add(PageAlert.of(page, changes.of(page), config.grafanaUrl(), endsAt));
            }
            batches.put(delivery, batch);
            posts.put(delivery, send(delivery.url(), alerts.toString()));
        }
        for (Map.Entry<AlertmanagerDelivery, CompletableFuture<NotifierMetrics.Outcome>> post :
                posts.entrySet()) {
            AlertmanagerDelivery delivery = post.getKey();
            Map<String, ScopePage> batch = batches.get(delivery);
            NotifierMetrics.Outcome outcome = post.getValue().join();
            for (ScopePage page : batch.values()) {
                metrics.posted(page, outcome);
            }
            if (outcome != NotifierMetrics.Outcome.ACCEPTED) {
                delivery.failed(now, RETRY.toMillis());
                continue;
            }
            long acceptedAt = clock.getAsLong();
            delivery.accepted(batch, now, resendMs);
            for (ScopePage page : batch.values()) {
                if (firstSendDue.remove(page.pageKey())) {
                    metrics.signalToPage(page, acceptedAt);
                }
            }
        }
    }

    private CompletableFuture<NotifierMetrics.Outcome> send(URI alertmanager, String body) {
        String url = alertmanager.toString().replaceAll("/+$", "") + "/api/v2/alerts";
        return http.sendAsync(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(POST_TIMEOUT)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .handle(
                        (response, failure) -> {
                            if (failure != null) {
                                logFailure(url, failure.toString());
                                return NotifierMetrics.Outcome.UNREACHABLE;
                            }
                            if (response.statusCode() == 200) {
                                return NotifierMetrics.Outcome.ACCEPTED;
                            }
                            logFailure(
                                    url,
                                    "answered " + response.statusCode() + ": " + response.body());
                            return NotifierMetrics.Outcome.REFUSED;
                        });
    }

    private synchronized void logFailure(String url, String what) {
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

    /**
     * Stops {@link #run()} from another thread and waits for its last post to end, so that what it
     * posts to is not stopped under it; closes the consumer itself if {@link #run()} never ran.
     */
    @Override
    public void close() {
        closed = true;
        if (!running) {
            consumer.close();
            return;
        }
        consumer.wakeup();
        try {
            stopped.await(2 * POST_TIMEOUT.toSeconds() + 1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
