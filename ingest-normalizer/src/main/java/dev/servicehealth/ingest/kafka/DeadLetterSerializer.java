package dev.servicehealth.ingest.kafka;

import dev.servicehealth.model.DeadLetter;
import dev.servicehealth.model.EventCodec;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes dead letters (original bytes inside) keyed by their source coordinates. */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
    private static final long serialVersionUID = 1L;

    private final String topic;

    public DeadLetterSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic,
                null,
                letter.deadLetteredAtMs(),
                letter.key().getBytes(StandardCharsets.UTF_8),
                EventCodec.encode(letter));
    }
}
