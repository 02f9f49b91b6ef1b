package dev.servicehealth.simulator;

import java.io.IOException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces records to Kafka with their own timestamps as CreateTime, keys and values unchanged.
 *
 * <p>Guarantees: {@code acks=all} with the idempotent producer, so an acknowledged record is
 * written once per send, in send order per partition. Sends are asynchronous; the first failure is
 * kept and rethrown by the next {@link #send} or {@link #flush}, so a failure is never silent.
 * {@link #flush} returns the acknowledged counts per topic.
 */
public final class KafkaTrafficWriter implements RecordSink {

    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public KafkaTrafficWriter(String bootstrapServers) {
        this(bootstrapServers, new Properties());
    }

    /**
     * @param overrides further producer settings; they win over this writer's defaults
     */
    public KafkaTrafficWriter(String bootstrapServers, Properties overrides) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // Batch for throughput; a few milliseconds of delay do not matter to a simulator.
        props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "traffic-simulator");
        props.putAll(overrides);
        this.producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void send(CapturedRecord record) throws IOException {
        rethrowFailure();
        String topic = record.topic();
        producer.send(
                new ProducerRecord<>(
                        topic, null, record.timestampMs(), record.key(), record.value()),
                (metadata, exception) -> {
                    if (exception != null) {
                        failure.compareAndSet(null, exception);
                    } else {
                        acknowledged.merge(topic, 1L, Long::sum);
                    }
                });
    }

    /** Sends a simulated record. */
    public void send(SimulatedRecord record) throws IOException {
        send(record.captured());
    }

    @Override
    public Map<String, Long> flush() throws IOException {
        producer.flush();
        rethrowFailure();
        return Map.copyOf(acknowledged);
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            producer.close();
        }
    }

    private void rethrowFailure() throws IOException {
        Exception first = failure.get();
        if (first != null) {
            throw new IOException("producing to Kafka failed", first);
        }
    }
}
