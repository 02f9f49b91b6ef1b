package dev.servicehealth.aggregator.kafka;

import dev.servicehealth.aggregator.kpi.KpiPartial;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes what came after its window's lateness bound, keyed like the row it was too late for. */
public final class TooLateSerializer implements KafkaRecordSerializationSchema<KpiPartial> {
    private static final long serialVersionUID = 1L;

    private final String topic;

    public TooLateSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            KpiPartial partial, KafkaSinkContext context, Long timestamp) {
        long now = System.currentTimeMillis();
        return new ProducerRecord<>(
                topic, null, now, KpiRowJson.key(partial.key()), KpiRowJson.tooLate(partial, now));
    }
}
