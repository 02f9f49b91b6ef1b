package dev.servicehealth.local;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How fresh the KPI rows are when a reader can see them: a read_committed consumer of an upsert
 * topic, as Pinot is, takes for each early or on-time row the time it arrived minus the newest
 * event time in it ({@code newest_event_at}). This spans the whole path (normalizer, dedup and
 * aggregator, each committing its output with its checkpoint), which the aggregator's own freshness
 * meter, taken when it emits, does not. Late and final rows are left out: they correct minutes that
 * have closed, and their age says nothing about the live view.
 */
final class CommittedRowFreshness implements Runnable {
    private static final JsonFactory JSON = new JsonFactory();
    private static final long WINDOW_MS = 60_000;

    private final String bootstrapServers;
    private final String topic;
    private final AtomicBoolean stop;
    private final Deque<long[]> recent = new ArrayDeque<>();

    CommittedRowFreshness(String bootstrapServers, String topic, AtomicBoolean stop) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.stop = stop;
    }

    @Override
    public void run() {
        Map<String, Object> config =
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic)
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    long newest = liveRowNewestEventTime(record.value());
                    if (newest > 0) {
                        long now = System.currentTimeMillis();
                        synchronized (recent) {
                            recent.addLast(new long[] {now, now - newest});
                        }
                    }
                }
            }
        }
    }

    /** P50 and P95 over the rows seen in the last minute. */
    String summary(long nowMs) {
        long[] lags;
        synchronized (recent) {
            while (!recent.isEmpty() && recent.peekFirst()[0] < nowMs - WINDOW_MS) {
                recent.removeFirst();
            }
            lags = recent.stream().mapToLong(r -> r[1]).toArray();
        }
        if (lags.length == 0) {
            return "no rows in the last minute";
        }
        Arrays.sort(lags);
        return String.format(
                Locale.ROOT,
                "p50 %.1f s, p95 %.1f s (%,d rows in the last minute)",
                lags[(int) Math.ceil(0.5 * lags.length) - 1] / 1000.0,
                lags[(int) Math.ceil(0.95 * lags.length) - 1] / 1000.0,
                lags.length);
    }

    /** The row's {@code newest_event_at} if it is an early or on-time row, else -1. */
    private static long liveRowNewestEventTime(byte[] row) {
        long newest = -1;
        String firing = null;
        try (JsonParser json = JSON.createParser(row)) {
            while (json.nextToken() != null) {
                if (json.currentToken() != JsonToken.FIELD_NAME) {
                    continue;
                }
                String field = json.currentName();
                json.nextToken();
                if (field.equals("newest_event_at")) {
                    newest = json.getLongValue();
                } else if (field.equals("firing")) {
                    firing = json.getText();
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return "EARLY".equals(firing) || "ON_TIME".equals(firing) ? newest : -1;
    }
}
