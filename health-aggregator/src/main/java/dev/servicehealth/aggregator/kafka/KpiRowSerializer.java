package dev.servicehealth.aggregator.kafka;

import dev.servicehealth.aggregator.kpi.KpiRow;
import dev.servicehealth.model.catalog.Grain;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes KPI rows as JSON to a topic per grain, keyed by the upsert key; the record timestamp is
 * the emission time (the window start is a field), so topic retention follows when rows were
 * written.
 */
public final class KpiRowSerializer implements KafkaRecordSerializationSchema<KpiRow> {
    private static final long serialVersionUID = 1L;

    private final HashMap<String, String> topicByGrain;

    public KpiRowSerializer(Map<Grain, String> topicByGrain) {
        this.topicByGrain = new HashMap<>();
        topicByGrain.forEach((grain, topic) -> this.topicByGrain.put(grain.name(), topic));
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            KpiRow row, KafkaSinkContext context, Long timestamp) {
        String topic = topicByGrain.get(row.key().grainName());
        if (topic == null) {
            throw new IllegalStateException("no topic for grain " + row.key().grainName());
        }
        return new ProducerRecord<>(
                topic, null, row.emittedAtMs(), KpiRowJson.key(row.key()), KpiRowJson.row(row));
    }
}
