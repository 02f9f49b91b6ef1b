package dev.servicehealth.ingest;

import dev.servicehealth.ingest.normalize.NormalizeOperator;
import dev.servicehealth.ingest.normalize.NormalizedRecord;
import dev.servicehealth.ingest.normalize.NormalizerSettings;
import dev.servicehealth.ingest.normalize.RawRecord;
import dev.servicehealth.ingest.normalize.RawRecordNormalizer;
import dev.servicehealth.ingest.normalize.SchemaDrift;
import dev.servicehealth.ingest.normalize.SourceKind;
import dev.servicehealth.model.DeadLetter;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The normalizer as a function from streams to streams; no I/O is built here.
 *
 * <pre>
 *   raw records of one lane ──► normalize ──► canonical events (wire format, keyed)
 *   (reference topic, read by       ┘   └─────► dead letters (side output)
 *    each subtask's feed)                └────► schema-drift report (side output)
 * </pre>
 */
public final class IngestNormalizerTopology {
    private static final String NORMALIZE_UID = "ingest-normalizer.normalize";

    /** The outputs of the normalizer. */
    public record Streams(
            DataStream<NormalizedRecord> events,
            DataStream<DeadLetter> deadLetters,
            DataStream<SchemaDrift> schemaDrift) {}

    private IngestNormalizerTopology() {}

    /**
     * @param lane which raw topics {@code raw} holds, for the operator's name and uid: the job
     *     normalizes request lines and metrics in lanes of their own, so each has its own clock
     */
    public static Streams build(
            DataStream<RawRecord> raw,
            Map<String, SourceKind> sourceByTopic,
            NormalizerSettings settings,
            String lane) {
        SingleOutputStreamOperator<NormalizedRecord> events =
                raw.transform(
                                "normalize-" + lane,
                                TypeInformation.of(NormalizedRecord.class),
                                new NormalizeOperator(
                                        new RawRecordNormalizer(sourceByTopic, settings)))
                        .uid(NORMALIZE_UID + "-" + lane);
        return new Streams(
                events,
                events.getSideOutput(RawRecordNormalizer.DEAD_LETTERS),
                events.getSideOutput(RawRecordNormalizer.SCHEMA_DRIFT));
    }
}
