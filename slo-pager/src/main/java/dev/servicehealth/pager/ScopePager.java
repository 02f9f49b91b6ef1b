package dev.servicehealth.pager;

import dev.servicehealth.runtime.PipelineMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
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
 * than once per zone first. A page is emitted when it opens, again when what it says changes
 * (objectives, pairs, the scopes it covers), and resolved when nothing of it burns. The burns and
 * the pages sent are state: after a restore nothing pages twice.
 */
public final class ScopePager extends KeyedProcessFunction<String, SloAlert, ScopePage> {
    private static final long serialVersionUID = 1L;

    private final long settleMs;
    private final int metricsPort;
    private final String metricsBindAddress;

    private transient MapState<String, SloAlert> burning;
    private transient MapState<String, ScopePage> sent;
    private transient ValueState<Long> settleTimer;
    private transient PagerMetrics metrics;

    public ScopePager(Duration settle, int metricsPort, String metricsBindAddress) {
        this.settleMs = settle.toMillis();
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
        settleTimer =
                getRuntimeContext().getState(new ValueStateDescriptor<>("settle", Types.LONG));
        metrics =
                new PagerMetrics(
                        PipelineMeterRegistry.forJob("slo-pager", metricsPort, metricsBindAddress));
    }

    @Override
    public void processElement(SloAlert alert, Context ctx, Collector<ScopePage> out)
            throws Exception {
        switch (alert.state()) {
            case FIRING, BURNING, DATA_MISSING -> burning.put(alert.alertKey(), alert);
            case RESOLVED, EXPIRED, DATA_BACK -> burning.remove(alert.alertKey());
        }
        if (settleTimer.value() == null) {
            long at = ctx.timerService().currentProcessingTime() + settleMs;
            settleTimer.update(at);
            ctx.timerService().registerProcessingTimeTimer(at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ScopePage> out)
            throws Exception {
        settleTimer.clear();
        List<SloAlert> burns = new ArrayList<>();
        burning.values().forEach(burns::add);
        Map<String, ScopePage> chosen = new HashMap<>();
        for (PageSelector.Page page : PageSelector.select(burns)) {
            ScopePage scopePage = toScopePage(ctx.getCurrentKey(), page);
            chosen.put(scopePage.pageKey(), scopePage);
        }
        Set<String> gone = new HashSet<>();
        sent.keys().forEach(gone::add);
        gone.removeAll(chosen.keySet());
        for (String key : gone) {
            ScopePage last = sent.get(key);
            ScopePage resolved =
                    new ScopePage(
                            last.severity(),
                            last.level(),
                            last.scope(),
                            AlertState.RESOLVED,
                            last.objectives(),
                            last.burnRates(),
                            last.pairs(),
                            last.covered(),
                            last.startsAtMs(),
                            last.evaluatedAtMs());
            sent.remove(key);
            metrics.page(resolved);
            out.collect(resolved);
        }
        for (ScopePage page : chosen.values()) {
            ScopePage last = sent.get(page.pageKey());
            if (last == null || !sameMessage(last, page)) {
                if (last == null) {
                    metrics.suppressed(page.covered().length);
                } else {
                    metrics.suppressed(newlyCovered(last, page));
                }
                sent.put(page.pageKey(), page);
                metrics.page(page);
                out.collect(page);
            }
        }
    }

    private static ScopePage toScopePage(String severity, PageSelector.Page page) {
        List<SloAlert> own = page.own();
        long startsAt = Long.MAX_VALUE;
        long evaluatedAt = Long.MIN_VALUE;
        for (SloAlert burn : own) {
            startsAt = Math.min(startsAt, burn.startsAtMs());
            evaluatedAt = Math.max(evaluatedAt, burn.evaluatedAtMs());
        }
        List<SloAlert> sorted = new ArrayList<>(own);
        sorted.sort((a, b) -> a.slo().compareTo(b.slo()));
        String[] covered =
                page.covered().stream().map(SloAlert::alertKey).sorted().toArray(String[]::new);
        return new ScopePage(
                own.get(0).severity(),
                page.level(),
                page.scope(),
                AlertState.FIRING,
                sorted.stream().map(SloAlert::slo).toArray(String[]::new),
                sorted.stream().mapToDouble(SloAlert::shortBurnRate).toArray(),
                sorted.stream().map(SloAlert::pair).toArray(String[]::new),
                covered,
                startsAt,
                evaluatedAt);
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
