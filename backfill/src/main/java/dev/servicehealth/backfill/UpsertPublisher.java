package dev.servicehealth.backfill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends a backfill's staged upserts to the KPI upsert topics Pinot ingests, the same topics, keys
 * and JSON the aggregator writes. Idempotent by construction: each row is whole and carries the
 * backfilled version of its generation, so a row sent twice (a retried send, a rerun) leaves Pinot
 * as once. The producer is idempotent and waits for every broker in sync; every send is accounted
 * for before this returns, so a failure is reported, not lost.
 */
public final class UpsertPublisher {
    private UpsertPublisher() {}

    /** Publishes the staged upserts bound for {@code topics}; returns how many. */
    public static long publish(Table upserts, String bootstrapServers, Set<String> topics) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "backfill-" + upserts.name());
        long sent = 0;
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(
                                props, new ByteArraySerializer(), new ByteArraySerializer());
                CloseableIterable<Record> rows = IcebergGenerics.read(upserts).build()) {
            for (Record row : rows) {
                if (!topics.contains((String) row.getField("topic"))) {
                    continue;
                }
                producer.send(
                        new ProducerRecord<>(
                                (String) row.getField("topic"),
                                bytes(row.getField("record_key")),
                                bytes(row.getField("record_value"))),
                        (metadata, error) -> {
                            if (error != null) {
                                failure.compareAndSet(null, error);
                            }
                        });
                sent++;
            }
            producer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (failure.get() != null) {
            throw new IllegalStateException(
                    "publishing the upserts failed: " + failure.get().getMessage(), failure.get());
        }
        return sent;
    }

    private static byte[] bytes(Object value) {
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
