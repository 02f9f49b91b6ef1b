package dev.servicehealth.aggregator.window;

import dev.servicehealth.aggregator.kpi.Firing;
import dev.servicehealth.aggregator.kpi.KpiAggregate;
import dev.servicehealth.aggregator.kpi.KpiKey;
import dev.servicehealth.aggregator.kpi.KpiPartial;
import dev.servicehealth.aggregator.kpi.KpiRow;
import dev.servicehealth.model.catalog.KpiVersion;
import dev.servicehealth.runtime.PipelineMeterRegistry;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The one-minute event-time window of one KPI row, with the firings SREs need: its current value
 * every {@code earlyInterval} while it is open (EARLY), when the watermark passes its end
 * (ON_TIME), again within {@code earlyInterval} after late events change it (LATE), and once more
 * when the lateness bound has passed (FINAL, also to {@link #HISTORY}), after which its state is
 * gone. Contributions that arrive after that are beyond the bound and go to {@link #TOO_LATE},
 * counted, never silently dropped.
 *
 * <p>Keyed by {@link KpiKey}, which includes the window start: one key is one window. Early and
 * late re-emissions are rate-limited by processing-time timers aligned to {@code earlyInterval}, so
 * a busy key emits once per interval, not once per event. A row is upserted only when its value
 * changed since the last upsert: an on-time or final firing of a window that an early or late
 * firing already emitted unchanged would only cost a row downstream (its final value still goes to
 * history).
 */
public final class KpiWindowFunction extends KeyedProcessFunction<KpiKey, KpiPartial, KpiRow>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    /** Final values of each window, for the history topic (Iceberg / Snowflake). */
    public static final OutputTag<KpiRow> HISTORY =
            new OutputTag<>("kpi-history", TypeInformation.of(KpiRow.class));

    /** Contributions to windows whose lateness bound had passed: counted, kept for backfill. */
    public static final OutputTag<KpiPartial> TOO_LATE =
            new OutputTag<>("kpi-too-late", TypeInformation.of(KpiPartial.class));

    private final long earlyIntervalMs;
    private final long allowedLatenessMs;
    private final int metricsPort;
    private final String metricsBindAddress;
    private final int generation;

    private transient ValueState<WindowState> window;
    private transient AggregatorMetrics metrics;
    private transient ListState<Long> checkpointedWatermark;

    /**
     * The watermark as of the checkpoint this subtask restored from (the lowest, after rescaling).
     * Flink does not checkpoint watermarks: without this floor, a window made final before a
     * failure would look open until the first watermark after the restore, and a contribution to it
     * would re-open it and write a second, partial "final" row to history.
     */
    private transient long restoredWatermark = Long.MIN_VALUE;

    private transient long lastWatermark = Long.MIN_VALUE;

    public KpiWindowFunction(WindowSettings settings) {
        this.earlyIntervalMs = settings.earlyInterval().toMillis();
        this.allowedLatenessMs = settings.allowedLateness().toMillis();
        this.metricsPort = settings.metricsPort();
        this.metricsBindAddress = settings.metricsBindAddress();
        this.generation = settings.generation();
    }

    @Override
    public void open(OpenContext openContext) {
        window =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("kpi-window", WindowState.class));
        metrics =
                new AggregatorMetrics(
                        PipelineMeterRegistry.forJob(
                                "health-aggregator", metricsPort, metricsBindAddress));
    }

    @Override
    public void processElement(KpiPartial partial, Context ctx, Collector<KpiRow> out)
            throws Exception {
        KpiKey key = partial.key();
        long watermark = watermark(ctx.timerService().currentWatermark());
        if (partial.tooLate() || watermark >= finalTimestamp(key)) {
            ctx.output(TOO_LATE, partial);
            metrics.tooLate(key.grainName(), partial.events());
            return;
        }
        boolean closed = watermark >= key.windowMaxTimestamp();
        if (closed) {
            metrics.late(key.grainName(), partial.events());
        }
        WindowState state = window.value();
        KpiAggregate aggregate;
        if (state == null) {
            aggregate = partial.aggregate();
            if (!closed) {
                // a window whose first contribution is already late has no on-time firing: its
                // re-emission timer emits it as LATE (a timer in the past would fire at the next
                // watermark and label it ON_TIME)
                ctx.timerService().registerEventTimeTimer(key.windowMaxTimestamp());
            }
            ctx.timerService().registerEventTimeTimer(finalTimestamp(key));
            state = new WindowState(null, null, null, 0, Long.MIN_VALUE, 0, WindowState.CLEAN);
        } else {
            aggregate = state.aggregate();
            aggregate.merge(partial.aggregate());
        }
        long reemitAt = state.reemitAtMs();
        if (!state.dirty()) {
            long now = ctx.timerService().currentProcessingTime();
            reemitAt = (now / earlyIntervalMs + 1) * earlyIntervalMs;
            ctx.timerService().registerProcessingTimeTimer(reemitAt);
        }
        window.update(
                new WindowState(
                        aggregate.counters(),
                        aggregate.sketchBytes(),
                        aggregate.gauges(),
                        aggregate.events(),
                        aggregate.newestEventTimeMs(),
                        state.version(),
                        reemitAt));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<KpiRow> out)
            throws Exception {
        long watermark = watermark(ctx.timerService().currentWatermark());
        WindowState state = window.value();
        if (state == null) {
            // no timer outlives its window's state (the final firing deletes the re-emission
            // timer); a guard, so that a broken invariant costs a row, not a failing job
            return;
        }
        KpiKey key = ctx.getCurrentKey();
        long now = ctx.timerService().currentProcessingTime();
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            if (state.dirty()) {
                boolean closed = watermark >= key.windowMaxTimestamp();
                emit(key, state, closed ? Firing.LATE : Firing.EARLY, now, out);
            }
        } else if (timestamp == key.windowMaxTimestamp()) {
            if (state.dirty()) {
                ctx.timerService().deleteProcessingTimeTimer(state.reemitAtMs());
                emit(key, state, Firing.ON_TIME, now, out);
            }
        } else if (timestamp == finalTimestamp(key)) {
            KpiRow row = row(key, state, Firing.FINAL, now);
            if (state.dirty()) {
                ctx.timerService().deleteProcessingTimeTimer(state.reemitAtMs());
                out.collect(row);
            }
            metrics.fired(key.grainName(), Firing.FINAL, now - state.newestEventTimeMs());
            ctx.output(HISTORY, row);
            window.clear();
        }
    }

    private void emit(KpiKey key, WindowState state, Firing firing, long now, Collector<KpiRow> out)
            throws Exception {
        KpiRow row = row(key, state, firing, now);
        out.collect(row);
        metrics.fired(key.grainName(), firing, now - state.newestEventTimeMs());
        window.update(
                new WindowState(
                        state.counters(),
                        state.sketches(),
                        state.gauges(),
                        state.events(),
                        state.newestEventTimeMs(),
                        row.version(),
                        WindowState.CLEAN));
    }

    /**
     * The row as emitted now: the next emission count, in this job's generation, whichever
     * generation the state's last emission was of (a redeploy with a fix moves open windows on).
     */
    private KpiRow row(KpiKey key, WindowState state, Firing firing, long now) {
        KpiAggregate aggregate = state.aggregate();
        return new KpiRow(
                key,
                KpiVersion.of(generation, KpiVersion.count(state.version()) + 1),
                generation,
                firing,
                state.counters(),
                aggregate.tdigestBytes(),
                aggregate.percentiles(),
                state.gauges(),
                state.events(),
                state.newestEventTimeMs(),
                now);
    }

    private long watermark(long current) {
        lastWatermark = Math.max(lastWatermark, current);
        return Math.max(current, restoredWatermark);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        checkpointedWatermark.update(List.of(Math.max(lastWatermark, restoredWatermark)));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        checkpointedWatermark =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>("kpi-window-watermark", Long.class));
        if (context.isRestored()) {
            long lowest = Long.MAX_VALUE;
            for (Long watermark : checkpointedWatermark.get()) {
                lowest = Math.min(lowest, watermark);
            }
            restoredWatermark = lowest == Long.MAX_VALUE ? Long.MIN_VALUE : lowest;
        }
    }

    /** When the lateness bound of the key's window has passed. */
    private long finalTimestamp(KpiKey key) {
        return key.windowMaxTimestamp() + allowedLatenessMs;
    }

    /**
     * What is kept per window: the aggregate, the last emitted version and, if it changed since,
     * when its pending re-emission timer fires. An on-time or final firing that emits the change
     * deletes that timer, so it never costs a state read for nothing.
     */
    public record WindowState(
            long[] counters,
            byte[][] sketches,
            double[] gauges,
            long events,
            long newestEventTimeMs,
            long version,
            long reemitAtMs) {
        /** No change since the last upsert, so no re-emission pending. */
        static final long CLEAN = Long.MIN_VALUE;

        boolean dirty() {
            return reemitAtMs != CLEAN;
        }

        KpiAggregate aggregate() {
            return KpiAggregate.of(counters, sketches, gauges, events, newestEventTimeMs);
        }
    }
}
