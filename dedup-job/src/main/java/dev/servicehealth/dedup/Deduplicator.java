package dev.servicehealth.dedup;

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

    private final Duration retention;
    private final int metricsPort;
    private final String metricsBindAddress;

    private transient ValueState<Long> firstCopyDigest;
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
            out.collect(event);
            metrics.eventOut(event.kind());
            if (event.key() == null) {
                metrics.unkeyed(event.kind());
            }
            return;
        }
        String source = EventSource.of(event);
        metrics.duplicate(event.kind(), source);
        if (first != digest) {
            metrics.conflict(event.kind(), source);
            logConflict(event, source);
        }
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
