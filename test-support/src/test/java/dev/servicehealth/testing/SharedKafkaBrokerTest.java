package dev.servicehealth.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SharedKafkaBrokerTest {

    @RegisterExtension static final SharedKafkaBroker KAFKA = new SharedKafkaBroker();

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration QUIET = Duration.ofSeconds(1);
    private static final List<String> COMMITTED =
            List.of("committed-1", "committed-2", "committed-3");
    private static final List<String> ABORTED = List.of("aborted-1", "aborted-2");

    /** One committed and one aborted transaction, written once for all tests. */
    private static String transactionalTopic;

    @BeforeAll
    static void writeOneCommittedAndOneAbortedTransaction() {
        transactionalTopic = KAFKA.createTopic("transactions", 2);
        Properties properties = KAFKA.producerProperties();
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalTopic + "-producer");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties)) {
            producer.initTransactions();

            producer.beginTransaction();
            COMMITTED.forEach(value -> producer.send(record(transactionalTopic, value)));
            producer.commitTransaction();

            producer.beginTransaction();
            ABORTED.forEach(value -> producer.send(record(transactionalTopic, value)));
            // the aborted records must reach the log, or read_uncommitted would not see them
            producer.flush();
            producer.abortTransaction();
        }
    }

    @Test
    void readCommittedDrainSeesExactlyTheCommittedTransaction() {
        List<ConsumerRecord<byte[], byte[]>> records =
                KAFKA.drainUntilQuiet(transactionalTopic, QUIET, TIMEOUT, true);

        assertThat(values(records)).containsExactlyInAnyOrderElementsOf(COMMITTED);
    }

    @Test
    void readUncommittedDrainSeesTheCommittedAndTheAbortedTransaction() {
        List<ConsumerRecord<byte[], byte[]>> records =
                KAFKA.drainUntilQuiet(transactionalTopic, QUIET, TIMEOUT, false);

        assertThat(values(records))
                .containsExactlyInAnyOrder(
                        "committed-1", "committed-2", "committed-3", "aborted-1", "aborted-2");
    }

    @Test
    void drainStopsOnceTheExpectedCountHasArrived() {
        List<ConsumerRecord<byte[], byte[]>> records =
                KAFKA.drain(transactionalTopic, COMMITTED.size(), TIMEOUT, true);

        assertThat(values(records)).containsExactlyInAnyOrderElementsOf(COMMITTED);
    }

    @Test
    void drainUntilQuietReturnsNothingForAnEmptyTopic() {
        String topic = KAFKA.createTopic("empty", 3);

        assertThat(KAFKA.drainUntilQuiet(topic, QUIET, TIMEOUT, true)).isEmpty();
    }

    @Test
    void createTopicGivesEachCallerItsOwnTopic() {
        String first = KAFKA.createTopic("orders", 1);
        String second = KAFKA.createTopic("orders", 1);

        assertThat(first).startsWith("orders-").isNotEqualTo(second);
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String value) {
        return new ProducerRecord<>(topic, value.getBytes(UTF_8), value.getBytes(UTF_8));
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(record -> new String(record.value(), UTF_8)).toList();
    }
}
