package dev.servicehealth.aggregator.kafka;

import dev.servicehealth.model.EventCodec;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.catalog.PipelineMetric;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the deduplicated request events. The topic is written by our own jobs, so a record that
 * does not decode is a bug upstream: it is counted and logged with its position, and skipped rather
 * than stopping every dashboard.
 */
public final class RequestEventDeserializer
        implements KafkaRecordDeserializationSchema<RequestEvent> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RequestEventDeserializer.class);

    private transient Counter undecodable;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RequestEvent> out) {
        RequestEvent event;
        try {
            event = EventCodec.decodeRequest(record.value());
        } catch (RuntimeException e) {
            if (undecodable == null) {
                undecodable =
                        Counter.builder(PipelineMetric.AGGREGATOR_UNDECODABLE.meterName())
                                .description(PipelineMetric.AGGREGATOR_UNDECODABLE.description())
                                .register(Metrics.globalRegistry);
            }
            undecodable.increment();
            LOG.error(
                    "undecodable request event at {}-{}@{}, skipped: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.toString());
            return;
        }
        out.collect(event);
    }

    @Override
    public TypeInformation<RequestEvent> getProducedType() {
        return TypeInformation.of(RequestEvent.class);
    }
}
