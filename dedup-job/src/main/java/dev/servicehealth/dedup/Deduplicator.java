package dev.servicehealth.dedup;

import dev.servicehealth.model.EventKind;
import dev.servicehealth.model.EventTimePolicy;
import dev.servicehealth.runtime.PipelineMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First copy wins: per {@link EventIdentity} the state holds the first copy's payload digest for
 * the retention; a later copy is dropped and counted, as a conflict too if its content differs.
 *
 * <p>Which copy is first follows the pipeline clock, not the order this job happened to read them
 * in: a first copy too late for its window by its clock ({@link EventTimePolicy#isTooLate}) is held
 * until the watermark passes its clock, and a copy of the same event with an earlier clock read in
 * the meantime is kept instead (a retry read before its original, when a backlog is read raw
 * partition by raw partition, must not make the event too late). A copy in time is written at once:
 * every earlier copy would be in time too, and would count the same.
 *
 * <p>Retention is state TTL in processing time, set on creation and never extended: a copy is
 * recognised if it arrives within the retention of the first one (wall clock, restarts included).
 * Expired entries are never read and are removed by RocksDB's compaction filter, so expiry costs no
 * timer and no extra write per event. A copy arriving after expiry passes as a new event
 * (docs/decisions/0005-dedup-state.md says when that can happen and what it costs).
 */
public final class Deduplicator
        extends KeyedProcessFunction<EventIdentity, NormalizedEvent, NormalizedEvent> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(Deduplicator.class);
    private static final long CONFLICT_LOG_INTERVAL_MS = 10_000;

    static final String STATE_NAME = "first-copy-digest";
    static final String HELD_STATE_NAME = "held-too-late-copy";
    private static final long ALLOWED_LATENESS_MS = EventTimePolicy.ALLOWED_LATENESS.toMillis();

    private final Duration retention;
    private final int metricsPort;
    private final String metricsBindAddress;

    private transient ValueState<Long> firstCopyDigest;
    private transient ValueState<NormalizedEvent> heldCopy;
    private transient DedupMetrics metrics;
    private transient long conflictsSinceLog;
    private transient long lastConflictLogMs;

    public Deduplicator(Duration retention, int metricsPort, String metricsBindAddress) {
        this.retention = retention;
        this.metricsPort = metricsPort;
        this.metricsBindAddress = metricsBindAddress;
    }

    /** The TTL of the dedup state; RocksDB's compaction filter removes what has expired. */
    static StateTtlConfig ttl(Duration retention) {
        return StateTtlConfig.newBuilder(retention)
                .updateTtlOnCreateAndWrite()
                .neverReturnExpired()
                // re-check the clock every 1,000 entries a compaction visits; files no
                // compaction reaches are rewritten after twice the retention at the latest
                .cleanupInRocksdbCompactFilter(1000, retention.multipliedBy(2))
                .build();
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<Long> descriptor = new ValueStateDescriptor<>(STATE_NAME, Types.LONG);
        descriptor.enableTimeToLive(ttl(retention));
        firstCopyDigest = getRuntimeContext().getState(descriptor);
        heldCopy =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(HELD_STATE_NAME, NormalizedEvent.class));
        metrics =
                new DedupMetrics(
                        PipelineMeterRegistry.forJob("dedup-job", metricsPort, metricsBindAddress));
    }

    @Override
    public void processElement(NormalizedEvent event, Context ctx, Collector<NormalizedEvent> out)
            throws Exception {
        metrics.eventIn(event.kind());
        long digest = PayloadDigest.of(event.kind(), event.value());
        Long first = firstCopyDigest.value();
        if (first == null) {
            firstCopyDigest.update(digest);
            if (tooLate(event)) {
                heldCopy.update(event);
                ctx.timerService().registerEventTimeTimer(event.clockMs());
                metrics.tooLateHeld(event.kind());
            } else {
                write(event, out);
            }
            if (event.key() == null) {
                metrics.unkeyed(event.kind());
            }
            return;
        }
        keepIfEarlier(event, ctx, out);
        String source = EventSource.of(event);
        metrics.duplicate(event.kind(), source);
        if (first != digest) {
            metrics.conflict(event.kind(), source);
            logConflict(event, source);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<NormalizedEvent> out)
            throws Exception {
        NormalizedEvent held = heldCopy.value();
        if (held != null) {
            heldCopy.clear();
            write(held, out);
        }
    }

    /** A later-read copy with an earlier clock replaces a held one; in time, it is written now. */
    private void keepIfEarlier(NormalizedEvent event, Context ctx, Collector<NormalizedEvent> out)
            throws Exception {
        NormalizedEvent held = heldCopy.value();
        if (held == null || event.clockMs() >= held.clockMs()) {
            return;
        }
        metrics.earlierCopyKept(event.kind());
        ctx.timerService().deleteEventTimeTimer(held.clockMs());
        if (tooLate(event)) {
            heldCopy.update(event);
            ctx.timerService().registerEventTimeTimer(event.clockMs());
        } else {
            heldCopy.clear();
            write(event, out);
        }
    }

    private static boolean tooLate(NormalizedEvent event) {
        return event.kind() != EventKind.STATUS
                && event.eventTimeMs() != Long.MIN_VALUE
                && EventTimePolicy.isTooLate(
                        event.eventTimeMs(), event.clockMs(), ALLOWED_LATENESS_MS);
    }

    private void write(NormalizedEvent event, Collector<NormalizedEvent> out) {
        out.collect(event);
        metrics.eventOut(event.kind());
    }

    /** At most one line per 10 s per subtask, with the count since the last line. */
    private void logConflict(NormalizedEvent event, String source) {
        conflictsSinceLog++;
        long now = System.currentTimeMillis();
        if (now - lastConflictLogMs >= CONFLICT_LOG_INTERVAL_MS) {
            LOG.warn(
                    "dedup conflict: {} {} event {} (identity {}) arrived again with different"
                            + " content; kept the first copy ({} conflicts since the last line)",
                    source,
                    event.kind().tag(),
                    event.key() == null
                            ? "without key"
                            : new String(event.key(), StandardCharsets.UTF_8),
                    event.identity(),
                    conflictsSinceLog);
            conflictsSinceLog = 0;
            lastConflictLogMs = now;
        }
    }
}
