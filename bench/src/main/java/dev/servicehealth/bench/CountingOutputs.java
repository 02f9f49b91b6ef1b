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

    /** The normalizer reads the watermark and sets no timers; outside Flink there is none. */
    private static final TimerService NO_TIMERS =
            new TimerService() {
                @Override
                public long currentProcessingTime() {
                    return System.currentTimeMillis();
                }

                @Override
                public long currentWatermark() {
                    return Long.MIN_VALUE;
                }

                @Override
                public void registerProcessingTimeTimer(long time) {
                    throw new UnsupportedOperationException(UNSUPPORTED_REGISTER_TIMER_MSG);
                }

                @Override
                public void registerEventTimeTimer(long time) {
                    throw new UnsupportedOperationException(UNSUPPORTED_REGISTER_TIMER_MSG);
                }

                @Override
                public void deleteProcessingTimeTimer(long time) {
                    throw new UnsupportedOperationException(UNSUPPORTED_DELETE_TIMER_MSG);
                }

                @Override
                public void deleteEventTimeTimer(long time) {
                    throw new UnsupportedOperationException(UNSUPPORTED_DELETE_TIMER_MSG);
                }
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
                return NO_TIMERS;
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
