package dev.servicehealth.pager;

import dev.servicehealth.model.catalog.BurnRateRule;
import dev.servicehealth.model.catalog.ServiceLevelObjective;
import dev.servicehealth.model.pager.AlertState;
import dev.servicehealth.model.pager.ScopeLevel;
import dev.servicehealth.runtime.PipelineMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The burn rates of one objective in one scope, and the alerts they raise. Keyed by {@link
 * SloCount#key()}.
 *
 * <p>Each count lands in its own bucket of event time, a late one too. Live (the watermark within
 * {@link #LIVE_SKEW_MS} of the scope's newest event), the pairs of {@link BurnRateRule#ALL} are
 * evaluated at the newest event time after every count, so a page does not wait for a bucket or the
 * watermark to close. While the pipeline catches up on a backlog, its partitions each at their own
 * pace, the newest event runs ahead of counts still to come: then the pairs are evaluated as of
 * each ten-second bucket's end once the watermark has passed it, so what pages, and when in event
 * time, does not depend on the read speed. Guarantees:
 *
 * <ul>
 *   <li>One {@link AlertState#FIRING} per incident and severity: while a pair of the severity
 *       trips, only a {@link AlertState#BURNING} report per ten-second bucket follows; late events
 *       of a resolved incident do not page again: a trip fires only if a bucket starting at or
 *       after the last resolve burns by itself.
 *   <li>{@link AlertState#RESOLVED} only when no pair of the severity has tripped for a minute and
 *       one of them has events in both windows to prove it; 0/0 is no data, never a page and never
 *       a resolve.
 *   <li>A pair trips only with its minimum events in the long window (counted as guarded
 *       otherwise).
 *   <li>A scope that had at least {@code minEvents} of the hourly pair in its last hour and then
 *       stays silent for ten of its average gaps (at least {@link BurnSettings#minSilence}, in
 *       processing time) raises {@link AlertState#DATA_MISSING}, and {@link AlertState#DATA_BACK}
 *       with its next count.
 *   <li>State and timers are gone once the scope's newest event is older than the longest window by
 *       the watermark ({@link AlertState#EXPIRED} ends its open alerts).
 * </ul>
 *
 * The output is exactly once with the job's checkpoints: state and emitted alerts move together.
 */
public final class BurnRateEvaluator extends KeyedProcessFunction<String, SloCount, SloAlert> {
    private static final long serialVersionUID = 1L;
    private static final BurnRateRule HOURLY =
            BurnRateRule.ALL.stream().filter(r -> r.name().equals("1h")).findFirst().orElseThrow();
    private static final long SILENCE_GAPS = 10;

    /**
     * How far the watermark may trail a scope's newest event for its counts to be evaluated live:
     * the normalizer's 10 s out-of-orderness, the clock marks and the hops' commits, with room.
     */
    static final long LIVE_SKEW_MS = Duration.ofSeconds(30).toMillis();

    /** How long no pair of a severity may trip before its alert resolves. */
    private static final long RESOLVE_HOLD_MS = Duration.ofMinutes(1).toMillis();

    private static final Duration REFERENCE = Duration.ofHours(1);

    private final BurnSettings settings;

    private transient Map<String, ServiceLevelObjective> objectives;
    private transient ValueState<ScopeBurnState> scopes;
    private transient PagerMetrics metrics;

    /** Processing time of the first element or timer since this instance opened. */
    private transient long openedAtMs;

    public BurnRateEvaluator(BurnSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        openedAtMs = -1;
        objectives = new HashMap<>();
        settings.objectives().forEach(slo -> objectives.put(slo.id(), slo));
        scopes =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("slo-scope", ScopeBurnState.class));
        metrics =
                new PagerMetrics(
                        PipelineMeterRegistry.forJob(
                                "slo-pager",
                                settings.metricsPort(),
                                settings.metricsBindAddress()));
    }

    @Override
    public void processElement(SloCount count, Context ctx, Collector<SloAlert> out)
            throws Exception {
        ServiceLevelObjective slo = objectives.get(count.slo());
        if (slo == null) {
            throw new IllegalStateException("a count of an unknown objective: " + count.slo());
        }
        ScopeBurnState state = scopes.value();
        if (state == null) {
            state = ScopeBurnState.empty();
        }
        long newestBefore = state.newestEventMs;
        if (!state.add(count)) {
            metrics.beyondWindow(count.total());
            return;
        }
        if (newestBefore != Long.MIN_VALUE
                && Math.floorDiv(count.eventTimeMs(), ScopeBurnState.FINE_BUCKET_MS)
                        < Math.floorDiv(newestBefore, ScopeBurnState.FINE_BUCKET_MS)) {
            metrics.late(count.total());
        }
        long now = ctx.timerService().currentProcessingTime();
        if (openedAtMs < 0) {
            openedAtMs = now;
        }
        state.lastArrivalMs = now;
        if (state.dataMissing) {
            state.dataMissing = false;
            emit(out, dataAlert(count, state, AlertState.DATA_BACK));
        }
        long watermark = ctx.timerService().currentWatermark();
        if (live(state, watermark)) {
            evaluateAt(state.newestEventMs, true, slo, count, state, out);
            if (state.catchUpTimerMs != 0) {
                // caught up: the count decided past every bucket the chain still had to
                ctx.timerService().deleteEventTimeTimer(state.catchUpTimerMs);
                state.catchUpTimerMs = 0;
            }
        } else if (state.catchUpTimerMs == 0) {
            // catching up: decided bucket by bucket as the watermark passes, so a backlog read at
            // full speed, its partitions each at their own pace, pages as it would have live
            long from = watermark == Long.MIN_VALUE ? count.eventTimeMs() : watermark;
            state.catchUpTimerMs = lastMillisecondOfBucket(Math.max(from, state.evaluatedAtMs + 1));
            ctx.timerService().registerEventTimeTimer(state.catchUpTimerMs);
        }
        // a scope getting busier must be missed sooner than its first, sparse minutes promised
        long silenceAt = now + silenceLimitMs(state);
        if (state.silenceTimerMs == 0 || silenceAt < state.silenceTimerMs) {
            if (state.silenceTimerMs != 0) {
                ctx.timerService().deleteProcessingTimeTimer(state.silenceTimerMs);
            }
            state.silenceTimerMs = silenceAt;
            ctx.timerService().registerProcessingTimeTimer(silenceAt);
        }
        if (state.expiryTimerMs == 0) {
            state.expiryTimerMs = expiresAt(state);
            ctx.timerService().registerEventTimeTimer(state.expiryTimerMs);
        }
        scopes.update(state);
    }

    /**
     * Live when the watermark is close behind the scope's newest event (the normalizer's
     * out-of-orderness and the hops' commits): every count is evaluated as it comes, at the newest
     * event time. Otherwise the pipeline reads a backlog, its partitions at different speeds, and
     * the newest event is ahead of counts still to come.
     */
    private static boolean live(ScopeBurnState state, long watermark) {
        return watermark != Long.MIN_VALUE
                && state.newestEventMs - watermark <= LIVE_SKEW_MS
                && state.newestEventMs >= state.evaluatedAtMs;
    }

    private static long lastMillisecondOfBucket(long timeMs) {
        long bucket = ScopeBurnState.FINE_BUCKET_MS;
        return (Math.floorDiv(timeMs, bucket) + 1) * bucket - 1;
    }

    private void evaluateAt(
            long atMs,
            boolean live,
            ServiceLevelObjective slo,
            SloCount count,
            ScopeBurnState state,
            Collector<SloAlert> out) {
        for (BurnRateRule.Severity severity : BurnRateRule.Severity.values()) {
            evaluate(slo, count, state, severity, out, atMs, live);
        }
        state.evaluatedAtMs = atMs;
    }

    private void evaluate(
            ServiceLevelObjective slo,
            SloCount count,
            ScopeBurnState state,
            BurnRateRule.Severity severity,
            Collector<SloAlert> out,
            long atMs,
            boolean live) {
        int open = severity.ordinal();
        long bucket = Math.floorDiv(atMs, ScopeBurnState.FINE_BUCKET_MS);
        BurnRateRule tripped = null;
        BurnRateRule clear = null;
        for (BurnRateRule rule : BurnRateRule.ALL) {
            if (rule.severity() != severity) {
                continue;
            }
            BucketRing.Window longWindow = state.window(rule.longWindow(), atMs);
            BucketRing.Window shortWindow = state.window(rule.shortWindow(), atMs);
            if (rule.trips(
                    slo,
                    longWindow.bad(),
                    longWindow.total(),
                    shortWindow.bad(),
                    shortWindow.total())) {
                tripped = tripped == null ? rule : tripped;
                state.trippedAtMs[open] = atMs;
            } else if (burns(slo, rule, longWindow) && burns(slo, rule, shortWindow)) {
                metrics.guarded(rule);
            } else if (shortWindow.total() > 0 && longWindow.total() >= rule.minEvents()) {
                clear = clear == null ? rule : clear;
            }
        }
        if (tripped != null && state.openSinceMs[open] == 0) {
            long start =
                    state.burnStartMs(
                            tripped.longWindow(),
                            tripped.errorRatioThreshold(slo),
                            state.resolvedAtMs[open],
                            atMs);
            if (start == Long.MAX_VALUE) {
                // every burning bucket ended before the last resolve: late events of that
                // incident, which was paged already
                metrics.repeatHeld(severity);
                return;
            }
            state.openSinceMs[open] = start;
            state.openPair[open] = tripped.name();
            state.reportedBucket[open] = bucket;
            state.firedAtMs[open] = atMs;
            emit(out, openAlert(slo, count, state, severity, AlertState.FIRING, atMs, live));
        } else if (tripped != null && bucket > state.reportedBucket[open]) {
            state.reportedBucket[open] = bucket;
            emit(out, openAlert(slo, count, state, severity, AlertState.BURNING, atMs, live));
        } else if (tripped == null
                && clear != null
                && state.openSinceMs[open] != 0
                && clearFor(state, open, atMs)) {
            emit(out, openAlert(slo, count, state, severity, AlertState.RESOLVED, atMs, live));
            state.openSinceMs[open] = 0;
            state.openPair[open] = null;
            state.resolvedAtMs[open] = atMs;
        }
    }

    /**
     * Whether no pair of the severity has tripped for {@link #RESOLVE_HOLD_MS}: a burn that comes
     * and goes between ten-second buckets stays one incident.
     */
    private static boolean clearFor(ScopeBurnState state, int open, long atMs) {
        return atMs - state.trippedAtMs[open] >= RESOLVE_HOLD_MS;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SloAlert> out)
            throws Exception {
        ScopeBurnState state = scopes.value();
        if (state == null) {
            return;
        }
        String[] key = ctx.getCurrentKey().split("\\|", 3);
        SloCount identity =
                new SloCount(
                        key[0],
                        ScopeLevel.valueOf(key[1]),
                        key[2],
                        state.newestEventMs,
                        0,
                        0,
                        Long.MAX_VALUE);
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            if (openedAtMs < 0) {
                openedAtMs = ctx.timerService().currentProcessingTime();
            }
            if (timestamp != state.silenceTimerMs) {
                return;
            }
            long limit = silenceLimitMs(state);
            // a restored job has not been listening while it was down: silence counts from then
            long since = Math.max(state.lastArrivalMs, openedAtMs);
            if (timestamp - since >= limit) {
                state.silenceTimerMs = 0;
                if (!state.dataMissing && state.eventsOfLastHour() >= HOURLY.minEvents()) {
                    state.dataMissing = true;
                    emit(out, dataAlert(identity, state, AlertState.DATA_MISSING));
                }
            } else {
                state.silenceTimerMs = since + limit;
                ctx.timerService().registerProcessingTimeTimer(state.silenceTimerMs);
            }
            scopes.update(state);
            return;
        }
        ServiceLevelObjective slo = objectives.get(key[0]);
        if (timestamp == state.catchUpTimerMs) {
            state.catchUpTimerMs = 0;
            // every bucket the watermark has passed, in order, up to the newest event's
            long watermark = ctx.timerService().currentWatermark();
            long newestBucketEnd = lastMillisecondOfBucket(state.newestEventMs);
            long at = timestamp;
            for (;
                    at <= Math.min(watermark, newestBucketEnd);
                    at += ScopeBurnState.FINE_BUCKET_MS) {
                if (at > state.evaluatedAtMs) {
                    evaluateAt(at, false, slo, identity, state, out);
                }
            }
            if (live(state, watermark)) {
                // caught up: the rest is decided live, starting with the newest event
                evaluateAt(state.newestEventMs, true, slo, identity, state, out);
            } else if (at <= newestBucketEnd) {
                state.catchUpTimerMs = at;
                ctx.timerService().registerEventTimeTimer(at);
            }
            scopes.update(state);
            return;
        }
        if (timestamp != state.expiryTimerMs) {
            return;
        }
        long expiresAt = expiresAt(state);
        if (timestamp < expiresAt) {
            state.expiryTimerMs = expiresAt;
            ctx.timerService().registerEventTimeTimer(expiresAt);
            scopes.update(state);
            return;
        }
        for (BurnRateRule.Severity severity : BurnRateRule.Severity.values()) {
            int open = severity.ordinal();
            if (state.openSinceMs[open] != 0) {
                // decided as the watermark passed the expiry, as a caught-up evaluation is
                emit(
                        out,
                        openAlert(
                                slo,
                                identity,
                                state,
                                severity,
                                AlertState.EXPIRED,
                                timestamp,
                                false));
            }
        }
        if (state.dataMissing) {
            emit(out, dataAlert(identity, state, AlertState.EXPIRED));
        }
        if (state.silenceTimerMs != 0) {
            ctx.timerService().deleteProcessingTimeTimer(state.silenceTimerMs);
        }
        if (state.catchUpTimerMs != 0) {
            ctx.timerService().deleteEventTimeTimer(state.catchUpTimerMs);
        }
        scopes.clear();
    }

    private void emit(Collector<SloAlert> out, SloAlert alert) {
        metrics.alert(alert);
        out.collect(alert);
    }

    private static boolean burns(
            ServiceLevelObjective slo, BurnRateRule rule, BucketRing.Window window) {
        return window.total() > 0 && window.bad() >= rule.errorRatioThreshold(slo) * window.total();
    }

    /**
     * A transition of the severity's open alert, with the figures of its pair as of {@code atMs}.
     */
    private static SloAlert openAlert(
            ServiceLevelObjective slo,
            SloCount count,
            ScopeBurnState state,
            BurnRateRule.Severity severity,
            AlertState alertState,
            long atMs,
            boolean live) {
        int open = severity.ordinal();
        BurnRateRule rule = rule(state.openPair[open]);
        BucketRing.Window longWindow = state.window(rule.longWindow(), atMs);
        BucketRing.Window shortWindow = state.window(rule.shortWindow(), atMs);
        BucketRing.Window budgetWindow = state.window(BurnRateRule.LONGEST_WINDOW, atMs);
        BucketRing.Window hour = state.window(REFERENCE, atMs);
        double budget = slo.errorBudget();
        return new SloAlert(
                count.slo(),
                count.level(),
                count.scope(),
                rule.severity(),
                alertState,
                rule.name(),
                state.openSinceMs[open],
                atMs,
                longWindow.errorRatio() / budget,
                shortWindow.errorRatio() / budget,
                longWindow.total(),
                budgetWindow.total() == 0
                        ? 1
                        : 1 - budgetWindow.bad() / (budget * budgetWindow.total()),
                hour.bad(),
                hour.total(),
                state.firedAtMs[open],
                live);
    }

    private static SloAlert dataAlert(SloCount count, ScopeBurnState state, AlertState alertState) {
        return new SloAlert(
                count.slo(),
                count.level(),
                count.scope(),
                BurnRateRule.Severity.TICKET,
                alertState,
                SloAlert.DATA_MISSING_PAIR,
                state.newestEventMs,
                state.newestEventMs,
                Double.NaN,
                Double.NaN,
                0,
                Double.NaN,
                0,
                0,
                state.newestEventMs,
                true);
    }

    private static BurnRateRule rule(String name) {
        return BurnRateRule.ALL.stream()
                .filter(r -> r.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no burn-rate pair " + name));
    }

    /** Ten average gaps of the scope's last hour, but never less than the configured minimum. */
    private long silenceLimitMs(ScopeBurnState state) {
        long events = Math.max(1, state.eventsOfLastHour());
        return Math.max(
                settings.minSilence().toMillis(),
                SILENCE_GAPS * Duration.ofHours(1).toMillis() / events);
    }

    /** When the scope's newest event leaves the longest window, to the coarse bucket. */
    private static long expiresAt(ScopeBurnState state) {
        long bucket = ScopeBurnState.COARSE_BUCKET_MS;
        return (Math.floorDiv(state.newestEventMs, bucket) + 1) * bucket
                + BurnRateRule.LONGEST_WINDOW.toMillis();
    }
}
