package dev.servicehealth.bench;

import dev.servicehealth.ingest.normalize.NormalizedRecord;
import dev.servicehealth.ingest.normalize.RawRecord;
import dev.servicehealth.ingest.normalize.RawRecordNormalizer;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Test doubles for Flink's output plumbing around {@link RawRecordNormalizer}, not for any product
 * component: a collector for the main output, and a context whose side output takes the dead
 * letters. Both count and keep nothing, so a long benchmark measures the function and not a growing
 * list; the byte count keeps the JIT from discarding the encoded events.
 */
final class CountingOutputs {
    long events;
    long eventBytes;
    long deadLetters;

    final Collector<NormalizedRecord> collector =
            new Collector<>() {
                @Override
                public void collect(NormalizedRecord record) {
                    events++;
                    eventBytes += record.key().length + record.value().length;
                }

                @Override
                public void close() {}
            };

    /** A context for {@code normalizer}'s input. */
    ProcessFunction<RawRecord, NormalizedRecord>.Context contextFor(
            RawRecordNormalizer normalizer) {
        return normalizer.new Context() {
            @Override
            public Long timestamp() {
                return null;
            }

            @Override
            public TimerService timerService() {
                throw new UnsupportedOperationException("the normalizer sets no timers");
            }

            @Override
            public <X> void output(OutputTag<X> outputTag, X value) {
                if (!outputTag.equals(RawRecordNormalizer.DEAD_LETTERS)) {
                    throw new IllegalArgumentException("unexpected side output " + outputTag);
                }
                deadLetters++;
            }
        };
    }

    /** Dead letters per raw record, after {@code recordsIn} records went through the function. */
    double deadLetterShare(long recordsIn) {
        return (double) deadLetters / recordsIn;
    }
}
