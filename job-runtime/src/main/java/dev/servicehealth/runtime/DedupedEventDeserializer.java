package dev.servicehealth.runtime;

import dev.servicehealth.model.EventCodec;
import dev.servicehealth.model.MetricSample;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.StatusEvent;
import dev.servicehealth.model.catalog.PipelineMetric;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import java.io.Serializable;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the events of a deduplicated topic, for every job that reads one. The topic is written by
 * our own jobs, so a record that does not decode is a bug upstream: it is counted (per reading job)
 * and logged with its position, and skipped rather than stopping every dashboard and page.
 */
public final class DedupedEventDeserializer<T> implements KafkaRecordDeserializationSchema<T> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DedupedEventDeserializer.class);

    private final Decoder<T> decoder;
    private final Class<T> type;
    private final String job;

    private transient Counter undecodable;

    private DedupedEventDeserializer(Decoder<T> decoder, Class<T> type, String job) {
        this.decoder = decoder;
        this.type = type;
        this.job = job;
    }

    /**
     * @param job the reading job, the meter's {@code job} tag
     */
    public static DedupedEventDeserializer<RequestEvent> requests(String job) {
        return new DedupedEventDeserializer<>(EventCodec::decodeRequest, RequestEvent.class, job);
    }

    public static DedupedEventDeserializer<MetricSample> metricSamples(String job) {
        return new DedupedEventDeserializer<>(EventCodec::decodeMetric, MetricSample.class, job);
    }

    public static DedupedEventDeserializer<StatusEvent> statuses(String job) {
        return new DedupedEventDeserializer<>(EventCodec::decodeStatus, StatusEvent.class, job);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out) {
        T event;
        try {
            event = decoder.decode(record.value());
        } catch (RuntimeException e) {
            if (undecodable == null) {
                undecodable =
                        Counter.builder(PipelineMetric.DEDUPED_UNDECODABLE.meterName())
                                .description(PipelineMetric.DEDUPED_UNDECODABLE.description())
                                .tag("job", job)
                                .register(Metrics.globalRegistry);
            }
            undecodable.increment();
            LOG.error(
                    "undecodable {} at {}-{}@{}, skipped: {}",
                    type.getSimpleName(),
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.toString());
            return;
        }
        out.collect(event);
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return TypeInformation.of(type);
    }

    /** How the topic's values decode. */
    private interface Decoder<T> extends Serializable {
        T decode(byte[] value);
    }
}
