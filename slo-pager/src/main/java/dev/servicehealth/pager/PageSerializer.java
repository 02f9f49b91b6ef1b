package dev.servicehealth.pager;

import dev.servicehealth.model.pager.PageJson;
import dev.servicehealth.model.pager.ScopePage;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes pages as JSON to the pages topic, keyed by page, so a page's updates stay in order. */
final class PageSerializer implements KafkaRecordSerializationSchema<ScopePage> {
    private static final long serialVersionUID = 1L;

    private final String topic;

    PageSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            ScopePage page, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic,
                null,
                timestamp,
                page.pageKey().getBytes(StandardCharsets.UTF_8),
                PageJson.write(page));
    }
}
