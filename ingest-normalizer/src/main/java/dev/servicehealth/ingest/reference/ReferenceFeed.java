package dev.servicehealth.ingest.reference;

import dev.servicehealth.model.reference.ReferenceData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference data as the normalizer sees it: the seeds, plus every update on the compacted
 * reference topic. On start it reads the whole topic (it is small: one record per entry) before
 * returning, so a restarted job enriches with the same data it had; then a daemon thread keeps
 * reading and publishes a new immutable {@link ReferenceView} after each batch of updates.
 *
 * <p>Why not a Flink broadcast input: a two-input operator cannot be chained to the Kafka source,
 * and the extra network hop for every raw record cost 18 % of the normalizer's throughput (see
 * docs/benchmarks.md). Reading the topic here keeps the hot path chained; the guarantees are the
 * same, since updates were never ordered with the raw records anyway.
 */
public final class ReferenceFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceFeed.class);
    private static final Duration POLL = Duration.ofSeconds(1);

    /** Told about each update read, from the feed's thread. */
    public interface Listener {
        void applied(ReferenceUpdate update);

        void rejected(ReferenceUpdate update, String why);
    }

    private final ReferenceOverlay overlay;
    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Listener listener;
    private final Thread thread;
    private volatile ReferenceView current;
    private volatile boolean running = true;

    private ReferenceFeed(
            ReferenceData seeds,
            String topic,
            KafkaConsumer<byte[], byte[]> consumer,
            Listener listener) {
        this.overlay = new ReferenceOverlay(seeds);
        this.topic = topic;
        this.consumer = consumer;
        this.listener = listener;
        this.current = overlay.view();
        this.thread =
                consumer == null
                        ? null
                        : new Thread(this::followUpdates, "reference-feed-" + topic);
    }

    /** The seeds alone, for a job without a reference topic. */
    public static ReferenceFeed seedsOnly(ReferenceData seeds) {
        return new ReferenceFeed(seeds, null, null, null);
    }

    /**
     * Reads the whole reference topic, waiting at most {@code initialLoad} for it (if Kafka does
     * not answer in time, the job starts on what it has and the thread keeps trying), then follows
     * new updates in the background.
     */
    public static ReferenceFeed start(
            String bootstrapServers,
            String topic,
            ReferenceData seeds,
            Listener listener,
            Duration initialLoad) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        ReferenceFeed feed = new ReferenceFeed(seeds, topic, consumer, listener);
        feed.loadAll(initialLoad);
        feed.thread.setDaemon(true);
        feed.thread.start();
        return feed;
    }

    /** The newest snapshot: read it once per record. */
    public ReferenceView current() {
        return current;
    }

    private void loadAll(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!assignAllPartitions(timeout)) {
                LOG.warn("reference topic {} does not exist (yet); using the seeds", topic);
                return;
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), timeout);
            while (!caughtUp(end) && System.nanoTime() < deadline) {
                apply(consumer.poll(POLL));
            }
            if (!caughtUp(end)) {
                LOG.warn("reference topic {} not fully read within {}; continuing", topic, timeout);
            }
        } catch (RuntimeException e) {
            LOG.warn(
                    "reference topic {} unreadable at start ({}); using the seeds",
                    topic,
                    e.toString());
        }
    }

    /** Assigns every partition of the topic from its beginning; false if it has none yet. */
    private boolean assignAllPartitions(Duration timeout) {
        List<TopicPartition> partitions =
                consumer.partitionsFor(topic, timeout).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
        if (partitions.isEmpty()) {
            return false;
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return true;
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void followUpdates() {
        try {
            while (running) {
                if (consumer.assignment().isEmpty()) {
                    retryAssignment();
                } else {
                    apply(consumer.poll(POLL));
                }
            }
        } catch (WakeupException closing) {
            // close() interrupts the poll
        } catch (RuntimeException e) {
            LOG.error("reference feed stopped; enrichment keeps the last view", e);
        } finally {
            consumer.close();
        }
    }

    private void retryAssignment() {
        try {
            if (!assignAllPartitions(POLL)) {
                Thread.sleep(POLL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("reference topic {} still unreadable: {}", topic, e.toString());
        }
    }

    private void apply(ConsumerRecords<byte[], byte[]> records) {
        if (records.isEmpty()) {
            return;
        }
        for (ConsumerRecord<byte[], byte[]> record : records) {
            ReferenceUpdate update =
                    new ReferenceUpdate(
                            record.key() == null
                                    ? null
                                    : new String(record.key(), StandardCharsets.UTF_8),
                            record.value() == null
                                    ? null
                                    : new String(record.value(), StandardCharsets.UTF_8));
            try {
                overlay.apply(update);
                listener.applied(update);
            } catch (IllegalArgumentException invalid) {
                listener.rejected(update, invalid.getMessage());
            }
        }
        current = overlay.view();
    }

    @Override
    public void close() throws InterruptedException {
        if (thread == null) {
            return;
        }
        running = false;
        consumer.wakeup();
        thread.join(Duration.ofSeconds(10).toMillis());
    }
}
