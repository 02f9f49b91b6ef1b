package dev.servicehealth.pager;

import dev.servicehealth.model.catalog.BurnRateRule;
import dev.servicehealth.model.pager.AlertState;
import dev.servicehealth.model.pager.ScopeLevel;
import dev.servicehealth.model.pager.ScopePage;
import dev.servicehealth.runtime.PipelineMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns the burns of every objective and scope into pages, one per broken place ({@link
 * PageSelector}); a silent scope's data-missing alerts page the same way, so a silent fleet is one
 * ticket, not one per objective and zone. Keyed by severity: the burns of a severity meet in one
 * place, and there are few (transitions and ten-second reports of what burns, not events).
 *
 * <p>A change waits {@code settle} of processing time before the pages are chosen again, so that
 * the region and its zones, which trip within moments of each other, page once as the region rather
 * than once per zone first; a live burn that would open a page of a zone or a tenant waits {@code
 * narrowScopeHold} more for its region to trip. A burn, once it belongs to a page, stays with it
 * until the burn ends; a new burn joins the open page of the scope chosen for it or of a scope
 * containing that one (a zone joins its region's open page, whatever the objective); only a burn no
 * open page contains opens a page. So a page neither moves nor splits while an incident runs down,
 * whatever order its burns resolve in. A page is emitted when it opens, again when what it says
 * changes (objectives, pairs, the burns it covers), and resolved when none of its burns is left.
 * Burns, membership and the pages sent are state: after a restore nothing pages twice.
 */
public final class ScopePager extends KeyedProcessFunction<String, SloAlert, ScopePage> {
    private static final long serialVersionUID = 1L;
    private static final long FORGET_AFTER_MS = Duration.ofHours(1).toMillis();

    private final long settleMs;
    private final long narrowScopeHoldMs;
    private final int metricsPort;
    private final String metricsBindAddress;

    private transient MapState<String, SloAlert> burning;
    private transient MapState<String, ScopePage> sent;
    private transient MapState<String, String> memberOf;
    private transient MapState<Long, List<SloAlert>> caughtUp;
    private transient MapState<String, Long> appliedAt;
    private transient MapState<String, Long> heldSince;
    private transient ValueState<Long> settleTimer;
    private transient PagerMetrics metrics;

    public ScopePager(
            Duration settle, Duration narrowScopeHold, int metricsPort, String metricsBindAddress) {
        this.settleMs = settle.toMillis();
        this.narrowScopeHoldMs = narrowScopeHold.toMillis();
        this.metricsPort = metricsPort;
        this.metricsBindAddress = metricsBindAddress;
    }

    @Override
    public void open(OpenContext openContext) {
        burning =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "burning", Types.STRING, Types.POJO(SloAlert.class)));
        sent =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "pages-sent", Types.STRING, Types.POJO(ScopePage.class)));
        memberOf =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>("member-of", Types.STRING, Types.STRING));
        appliedAt =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>("applied-at", Types.STRING, Types.LONG));
        caughtUp =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "caught-up",
                                        Types.LONG,
                                        Types.LIST(Types.POJO(SloAlert.class))));
        heldSince =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>("held-since", Types.STRING, Types.LONG));
        settleTimer =
                getRuntimeContext().getState(new ValueStateDescriptor<>("settle", Types.LONG));
        metrics =
                new PagerMetrics(
                        PipelineMeterRegistry.forJob("slo-pager", metricsPort, metricsBindAddress));
    }

    @Override
    public void processElement(SloAlert alert, Context ctx, Collector<ScopePage> out)
            throws Exception {
        if (!alert.live()) {
            // decided as the watermark passed its time: applied once every evaluator has passed
            // it too, in event-time order, so a backlog pages as it would have live
            List<SloAlert> at = caughtUp.get(alert.evaluatedAtMs());
            List<SloAlert> alerts = at == null ? new ArrayList<>() : new ArrayList<>(at);
            alerts.add(alert);
            caughtUp.put(alert.evaluatedAtMs(), alerts);
            ctx.timerService().registerEventTimeTimer(alert.evaluatedAtMs());
            return;
        }
        apply(alert);
        if (settleTimer.value() == null) {
            long at = ctx.timerService().currentProcessingTime() + settleMs;
            settleTimer.update(at);
            ctx.timerService().registerProcessingTimeTimer(at);
        }
    }

    /**
     * Applies one decision about a burn, unless a later one was applied already: a burn decided
     * while catching up and then live has decisions on both paths, which arrive out of order.
     */
    private void apply(SloAlert alert) throws Exception {
        Long last = appliedAt.get(alert.alertKey());
        if (last != null && alert.evaluatedAtMs() < last) {
            return;
        }
        appliedAt.put(alert.alertKey(), alert.evaluatedAtMs());
        switch (alert.state()) {
            case FIRING, BURNING, DATA_MISSING -> burning.put(alert.alertKey(), alert);
            case RESOLVED, EXPIRED, DATA_BACK -> burning.remove(alert.alertKey());
        }
    }

    /** Forgets the decisions of burns that ended an hour of event time ago: none can follow. */
    private void forgetEnded(long watermark) throws Exception {
        if (watermark == Long.MIN_VALUE) {
            return;
        }
        List<String> forgotten = new ArrayList<>();
        for (Map.Entry<String, Long> entry : appliedAt.entries()) {
            if (entry.getValue() < watermark - FORGET_AFTER_MS
                    && !burning.contains(entry.getKey())) {
                forgotten.add(entry.getKey());
            }
        }
        for (String key : forgotten) {
            appliedAt.remove(key);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ScopePage> out)
            throws Exception {
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            List<Long> due = new ArrayList<>();
            for (Long at : caughtUp.keys()) {
                if (at <= timestamp) {
                    due.add(at);
                }
            }
            due.sort(null);
            for (Long at : due) {
                for (SloAlert alert : caughtUp.get(at)) {
                    apply(alert);
                }
                caughtUp.remove(at);
            }
        } else {
            settleTimer.clear();
        }
        forgetEnded(ctx.timerService().currentWatermark());
        Map<String, SloAlert> burns = new HashMap<>();
        for (Map.Entry<String, SloAlert> entry : burning.entries()) {
            burns.put(entry.getKey(), entry.getValue());
        }
        List<String> ended = notBurning(memberOf.keys(), burns);
        // per page, the event time its last burn ended: when a page that ends resolved
        Map<String, Long> endedAt = new HashMap<>();
        for (String key : ended) {
            Long at = appliedAt.get(key);
            if (at != null) {
                endedAt.merge(memberOf.get(key), at, Math::max);
            }
            memberOf.remove(key);
        }

        for (String key : notBurning(heldSince.keys(), burns)) {
            heldSince.remove(key);
        }
        // a processing-time timer's own time: when it was due, however late it runs
        long now =
                ctx.timeDomain() == TimeDomain.PROCESSING_TIME
                        ? timestamp
                        : ctx.timerService().currentProcessingTime();

        Map<PageSelector.Scope, String> open = new HashMap<>();
        for (ScopePage page : sent.values()) {
            open.put(new PageSelector.Scope(page.level(), page.scope()), page.pageKey());
        }
        Map<String, PageSelector.Scope> targets = PageSelector.targets(burns.values());
        for (SloAlert burn : burns.values()) {
            if (memberOf.contains(burn.alertKey())) {
                continue;
            }
            PageSelector.Scope target = targets.get(burn.alertKey());
            String page = null;
            for (PageSelector.Scope up = target; up != null && page == null; up = up.parent()) {
                page = open.get(up);
            }
            if (page == null) {
                if (waitsForWiderScope(burn, target)) {
                    Long since = heldSince.get(burn.alertKey());
                    if (since == null) {
                        since = now;
                        heldSince.put(burn.alertKey(), since);
                    }
                    if (now < since + narrowScopeHoldMs) {
                        ctx.timerService().registerProcessingTimeTimer(since + narrowScopeHoldMs);
                        continue;
                    }
                }
                page = pageKey(ctx.getCurrentKey(), target);
                open.put(target, page);
            }
            heldSince.remove(burn.alertKey());
            memberOf.put(burn.alertKey(), page);
        }

        Map<String, List<SloAlert>> members = new HashMap<>();
        for (Map.Entry<String, String> member : memberOf.entries()) {
            members.computeIfAbsent(member.getValue(), k -> new ArrayList<>())
                    .add(burns.get(member.getKey()));
        }
        for (Map.Entry<PageSelector.Scope, String> page : open.entrySet()) {
            String key = page.getValue();
            ScopePage last = sent.get(key);
            List<SloAlert> burnsOfPage = members.get(key);
            if (burnsOfPage == null) {
                if (last != null) {
                    ScopePage resolved =
                            last.resolved(endedAt.getOrDefault(key, last.evaluatedAtMs()));
                    sent.remove(key);
                    metrics.page(resolved);
                    out.collect(resolved);
                }
                continue;
            }
            ScopePage current = toScopePage(ctx.getCurrentKey(), page.getKey(), burnsOfPage);
            if (last == null || !sameMessage(last, current)) {
                metrics.suppressed(
                        last == null ? current.covered().length : newlyCovered(last, current));
                sent.put(key, current);
                metrics.page(current);
                out.collect(current);
            }
        }
    }

    /** The keys of burns that no longer burn, collected before the state they key is changed. */
    private static List<String> notBurning(Iterable<String> keys, Map<String, SloAlert> burns) {
        List<String> ended = new ArrayList<>();
        for (String key : keys) {
            if (!burns.containsKey(key)) {
                ended.add(key);
            }
        }
        return ended;
    }

    /**
     * A live burn that would open a page of a zone or a tenant waits for its region, which may be
     * about to trip: an outage reaches a region's zones seconds before the region's error ratio
     * crosses the same threshold, and those seconds are longer than the settle. A service, whose
     * wider scope is the fleet, does not wait: a bad deploy pages its service as soon as it trips.
     */
    private static boolean waitsForWiderScope(SloAlert burn, PageSelector.Scope target) {
        return burn.live()
                && (target.level() == ScopeLevel.ZONE || target.level() == ScopeLevel.TENANT);
    }

    private static String pageKey(String severity, PageSelector.Scope scope) {
        return severity + "|" + scope.level().name() + "|" + scope.value();
    }

    /**
     * A page of a scope and the burns it speaks for: per objective the burn of the page's own
     * scope, or the fiercest of the others; the others' alert keys as covered.
     */
    private static ScopePage toScopePage(
            String severity, PageSelector.Scope scope, List<SloAlert> burns) {
        Map<String, SloAlert> byObjective = new TreeMap<>();
        long startsAt = Long.MAX_VALUE;
        long evaluatedAt = Long.MIN_VALUE;
        long firedAt = Long.MAX_VALUE;
        List<String> covered = new ArrayList<>();
        for (SloAlert burn : burns) {
            // the page began when the burn that fired first began
            if (burn.firedAtMs() < firedAt) {
                firedAt = burn.firedAtMs();
                startsAt = burn.startsAtMs();
            }
            evaluatedAt = Math.max(evaluatedAt, burn.evaluatedAtMs());
            boolean own = scope.equals(PageSelector.Scope.of(burn));
            if (!own) {
                covered.add(burn.alertKey());
            }
            String objective = objectiveOf(burn);
            SloAlert chosen = byObjective.get(objective);
            boolean chosenOwn = chosen != null && scope.equals(PageSelector.Scope.of(chosen));
            if (chosen == null
                    || (own && !chosenOwn)
                    || (own == chosenOwn && burn.shortBurnRate() > chosen.shortBurnRate())) {
                byObjective.put(objective, burn);
            }
        }
        covered.sort(null);
        List<SloAlert> chosen = new ArrayList<>(byObjective.values());
        return new ScopePage(
                BurnRateRule.Severity.valueOf(severity),
                scope.level(),
                scope.value(),
                AlertState.FIRING,
                byObjective.keySet().toArray(String[]::new),
                chosen.stream().map(SloAlert::pair).toArray(String[]::new),
                chosen.stream().mapToDouble(SloAlert::longBurnRate).toArray(),
                chosen.stream().mapToDouble(SloAlert::shortBurnRate).toArray(),
                chosen.stream().mapToDouble(SloAlert::budgetLeft).toArray(),
                covered.toArray(String[]::new),
                startsAt,
                evaluatedAt,
                firedAt);
    }

    /** A silence is told apart from a burn of the same objective. */
    private static String objectiveOf(SloAlert burn) {
        return SloAlert.DATA_MISSING_PAIR.equals(burn.pair())
                ? burn.slo() + "|" + SloAlert.DATA_MISSING_PAIR
                : burn.slo();
    }

    /** What a page says, its figures aside: a change of burn rates alone is not sent again. */
    private static boolean sameMessage(ScopePage a, ScopePage b) {
        return Arrays.equals(a.objectives(), b.objectives())
                && Arrays.equals(a.pairs(), b.pairs())
                && Arrays.equals(a.covered(), b.covered());
    }

    private static int newlyCovered(ScopePage last, ScopePage page) {
        Set<String> before = new HashSet<>(Arrays.asList(last.covered()));
        int added = 0;
        for (String key : page.covered()) {
            if (!before.contains(key)) {
                added++;
            }
        }
        return added;
    }
}
