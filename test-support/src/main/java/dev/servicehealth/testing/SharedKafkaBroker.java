package dev.servicehealth.testing;

import dev.servicehealth.localkafka.KafkaBroker;
import dev.servicehealth.runtime.clock.PipelineClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving tests a real Kafka broker ({@link KafkaBroker}): one broker per test
 * JVM, started when the first test class that uses it starts, and stopped when all tests of the JVM
 * have finished.
 *
 * <pre>{@code
 * @RegisterExtension static final SharedKafkaBroker KAFKA = new SharedKafkaBroker();
 *
 * @Test
 * void publishesOneRecordPerEvent() {
 *     String topic = KAFKA.createTopic("events", 2);
 *     ...
 *     assertThat(KAFKA.drain(topic, 3, Duration.ofSeconds(30), true)).hasSize(3);
 * }
 * }</pre>
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>Test classes share the broker but not topics: {@link #createTopic} returns a name no other
 *       caller in the JVM gets, so tests stay independent in any order and in parallel.
 *   <li>Properties from {@link #producerProperties()} and {@link #consumerProperties(boolean)} are
 *       fresh copies on every call; changing them affects nobody else.
 *   <li>The drain methods read every partition from the beginning with a consumer of their own that
 *       joins no group and commits nothing, so they never disturb the consumers under test.
 * </ul>
 *
 * <p>With {@code @ExtendWith(SharedKafkaBroker.class)} instead, tests and lifecycle methods take a
 * {@code SharedKafkaBroker} parameter.
 *
 * <p>The broker's work directory, with its {@code broker.log}, is kept under {@code target/} (or
 * the temporary directory when there is none) for diagnosing failed runs.
 */
public final class SharedKafkaBroker
        implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SharedKafkaBroker.class);
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);

    private volatile KafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        attach(context);
    }

    /** Also covers registration on an instance field, where {@code beforeAll} is not called. */
    @Override
    public void beforeEach(ExtensionContext context) {
        attach(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SharedKafkaBroker.class;
    }

    @Override
    public SharedKafkaBroker resolveParameter(
            ParameterContext parameter, ExtensionContext context) {
        attach(context);
        return this;
    }

    /** The {@code bootstrap.servers} value of the shared broker. */
    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    /**
     * Creates a topic named {@code baseName} plus a suffix unique in this JVM, and waits until all
     * its partitions have a leader.
     *
     * @return the topic's name
     */
    public String createTopic(String baseName, int partitions) {
        String name = baseName + "-" + SEQUENCE.incrementAndGet();
        broker().createTopics(partitions, name);
        return name;
    }

    /** Like {@link #createTopic}, for a compacted topic (latest value per key). */
    public String createCompactedTopic(String baseName, int partitions) {
        String name = baseName + "-" + SEQUENCE.incrementAndGet();
        broker().createCompactedTopic(name, partitions);
        return name;
    }

    /**
     * Byte-array producer settings with {@code acks=all} and idempotence; set {@code
     * transactional.id} for a transactional producer.
     */
    public Properties producerProperties() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return properties;
    }

    /**
     * Byte-array consumer settings that read from the earliest offset without committing, in a
     * consumer group of their own.
     *
     * @param readCommitted {@code read_committed} if true, else {@code read_uncommitted}
     */
    public Properties consumerProperties(boolean readCommitted) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-group-" + SEQUENCE.incrementAndGet());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel(readCommitted));
        return properties;
    }

    /**
     * Reads {@code topic} from the beginning until at least {@code expectedCount} records have
     * arrived or {@code timeout} has passed, whichever comes first.
     *
     * @return the records read, in arrival order (ordered within each partition only); fewer than
     *     {@code expectedCount} on timeout, so that the assertion shows what did arrive
     */
    public List<ConsumerRecord<byte[], byte[]>> drain(
            String topic, int expectedCount, Duration timeout, boolean readCommitted) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = drainingConsumer(topic, readCommitted)) {
            while (records.size() < expectedCount && System.nanoTime() < deadline) {
                addEvents(consumer.poll(POLL_TIMEOUT), records);
            }
        }
        return records;
    }

    /**
     * Reads {@code topic} from the beginning until the consumer has reached the end of every
     * partition and no record has arrived for {@code quietPeriod}, then returns everything read.
     * For asserting that nothing beyond the expected records was written.
     *
     * <p>With {@code readCommitted}, the end is the last stable offset: records of a transaction
     * still open are neither returned nor waited for.
     *
     * @throws AssertionError if the topic does not go quiet within {@code timeout}
     */
    public List<ConsumerRecord<byte[], byte[]>> drainUntilQuiet(
            String topic, Duration quietPeriod, Duration timeout, boolean readCommitted) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = drainingConsumer(topic, readCommitted)) {
            long lastArrival = System.nanoTime();
            while (true) {
                int before = records.size();
                addEvents(consumer.poll(POLL_TIMEOUT), records);
                long now = System.nanoTime();
                if (records.size() > before) {
                    lastArrival = now;
                } else if (now - lastArrival >= quietPeriod.toNanos() && atEnd(consumer)) {
                    // at the end as well as silent: a slow first fetch does not pass for quiet
                    return records;
                }
                if (now > deadline) {
                    throw new AssertionError(
                            "topic "
                                    + topic
                                    + " did not go quiet for "
                                    + quietPeriod
                                    + " within "
                                    + timeout
                                    + "; read "
                                    + records.size()
                                    + " records");
                }
            }
        }
    }

    /**
     * The records of a poll but the clock marks of clocked topics (decision 0009): the pipeline's
     * plumbing, which no test of what the jobs wrote counts.
     */
    private static void addEvents(
            ConsumerRecords<byte[], byte[]> polled, List<ConsumerRecord<byte[], byte[]>> records) {
        for (ConsumerRecord<byte[], byte[]> record : polled) {
            if (PipelineClock.markOf(record).isEmpty()) {
                records.add(record);
            }
        }
    }

    private KafkaConsumer<byte[], byte[]> drainingConsumer(String topic, boolean readCommitted) {
        Properties properties = consumerProperties(readCommitted);
        // no group: nothing to join or commit, no interference with the consumers under test
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties);
        List<TopicPartition> partitions =
                consumer.partitionsFor(topic).stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition()))
                        .collect(Collectors.toList());
        if (partitions.isEmpty()) {
            consumer.close();
            throw new IllegalArgumentException("topic " + topic + " does not exist");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static boolean atEnd(KafkaConsumer<byte[], byte[]> consumer) {
        // endOffsets honours the isolation level: the last stable offset under read_committed
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        return ends.entrySet().stream()
                .allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    private static String isolationLevel(boolean readCommitted) {
        return readCommitted ? "read_committed" : "read_uncommitted";
    }

    private KafkaBroker broker() {
        KafkaBroker current = broker;
        if (current == null) {
            throw new IllegalStateException(
                    "SharedKafkaBroker is not attached: register it with @RegisterExtension or"
                            + " @ExtendWith, and use it from tests or @BeforeAll/@BeforeEach"
                            + " methods");
        }
        return current;
    }

    private void attach(ExtensionContext context) {
        if (broker == null) {
            // the root store lives as long as the JVM's test run and closes what it holds
            broker =
                    context.getRoot()
                            .getStore(NAMESPACE)
                            .getOrComputeIfAbsent(
                                    KafkaBroker.class, key -> startBroker(), KafkaBroker.class);
        }
    }

    private static KafkaBroker startBroker() {
        Path target = Path.of("target");
        try {
            Path parent =
                    Files.isDirectory(target)
                            ? target
                            : Path.of(System.getProperty("java.io.tmpdir"));
            return KafkaBroker.start(Files.createTempDirectory(parent, "kafka-broker-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
