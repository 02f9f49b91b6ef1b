package dev.servicehealth.runtime;

import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Exactly-once from Kafka to Kafka, the same way in every job: source offsets and state in
 * exactly-once checkpoints, transactional sinks committed on each completed checkpoint, consumers
 * downstream with {@code isolation.level=read_committed}.
 */
public final class ExactlyOnceKafka {
    /** Kafka's default transaction.max.timeout.ms: a sink's timeout must stay below it. */
    public static final Duration BROKER_MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    private ExactlyOnceKafka() {}

    /**
     * Checks a sink's transaction timeout: below the broker's maximum (or the producer is refused)
     * and several checkpoint intervals long (or a slow checkpoint aborts committed-to-be output).
     */
    public static void checkTransactionTimeout(
            String key, Duration timeout, Duration checkpointInterval) {
        if (timeout.compareTo(BROKER_MAX_TRANSACTION_TIMEOUT) >= 0) {
            throw new IllegalArgumentException(
                    key + " must be below " + BROKER_MAX_TRANSACTION_TIMEOUT);
        }
        if (timeout.compareTo(checkpointInterval.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException(key + " must cover several checkpoint intervals");
        }
    }

    /** Exactly-once checkpoints every {@code interval}, stored durably when a directory is set. */
    public static void enableCheckpointing(
            StreamExecutionEnvironment env, Duration interval, Optional<String> directory) {
        env.enableCheckpointing(interval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        directory.ifPresent(
                dir -> {
                    Configuration storage = new Configuration();
                    storage.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
                    storage.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
                    // a job cancelled for an outage or a redeploy restarts from its last
                    // checkpoint: the directory keeps it
                    storage.set(
                            CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                            ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
                    env.configure(storage);
                });
    }

    /** A transactional sink; its records become visible when the checkpoint completes. */
    public static <T> KafkaSink<T> sink(
            String bootstrapServers,
            String transactionalIdPrefix,
            Duration transactionTimeout,
            KafkaRecordSerializationSchema<T> serializer) {
        Properties producer = new Properties();
        producer.setProperty(
                "transaction.timeout.ms", String.valueOf(transactionTimeout.toMillis()));
        producer.setProperty("compression.type", "lz4");
        producer.setProperty("linger.ms", "20");
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setKafkaProducerConfig(producer)
                .build();
    }
}
