package dev.servicehealth.history;

import dev.servicehealth.runtime.clock.PipelineClock;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Keeps each record's bytes and coordinates. Clock marks (decision 0009) are the upstream job's
 * watermarks, not events: they are not history, and are skipped.
 */
final class TopicRecordDeserializer implements KafkaRecordDeserializationSchema<TopicRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<TopicRecord> out) {
        if (record.headers().lastHeader(PipelineClock.MARK_HEADER) != null) {
            return;
        }
        out.collect(
                new TopicRecord(
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.timestamp(),
                        record.key(),
                        record.value(),
                        System.currentTimeMillis()));
    }

    @Override
    public TypeInformation<TopicRecord> getProducedType() {
        return TypeInformation.of(TopicRecord.class);
    }
}
