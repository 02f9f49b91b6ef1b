package dev.servicehealth.bench;

import dev.servicehealth.dedup.NormalizedEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The baseline the dedup job is measured against: keyed by the request id text, a {@code
 * ValueState<Boolean>} per key, no TTL, RocksDB with Flink's default options.
 */
final class NaiveDedup extends KeyedProcessFunction<String, NormalizedEvent, NormalizedEvent> {
    private static final long serialVersionUID = 1L;

    private transient ValueState<Boolean> seen;

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.BOOLEAN));
    }

    @Override
    public void processElement(NormalizedEvent event, Context ctx, Collector<NormalizedEvent> out)
            throws Exception {
        if (seen.value() == null) {
            seen.update(true);
            out.collect(event);
        }
    }
}
