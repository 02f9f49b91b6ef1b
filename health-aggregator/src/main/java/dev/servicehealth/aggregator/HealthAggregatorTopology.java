package dev.servicehealth.aggregator;

import dev.servicehealth.aggregator.kpi.KpiPartial;
import dev.servicehealth.aggregator.kpi.KpiRow;
import dev.servicehealth.aggregator.window.KpiPreAggregator;
import dev.servicehealth.aggregator.window.KpiWindowFunction;
import dev.servicehealth.aggregator.window.WindowSettings;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.catalog.Grain;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The aggregator as a function from deduplicated request events (with event-time timestamps and
 * watermarks) to KPI upserts, final values and too-late contributions. The job wires it between
 * Kafka topics; tests between their own sources and sinks.
 *
 * <pre>
 *  events ─► pre-aggregate (chained, per subtask) ─keyBy(row key)─► KPI window ─► upserts
 *                                                                       ├─► history (final)
 *                                                                       └─► too late
 * </pre>
 */
public final class HealthAggregatorTopology {
    /** The request grains; saturation rows come from metric samples (not built yet). */
    public static final List<Grain> REQUEST_GRAINS = List.of(Grain.SERVICE, Grain.DRILLDOWN);

    private HealthAggregatorTopology() {}

    /** The three outputs. */
    public record Streams(
            DataStream<KpiRow> upserts,
            DataStream<KpiRow> history,
            DataStream<KpiPartial> tooLate) {}

    /**
     * @param flushInterval how long the pre-aggregator bundles events before sending partials
     * @param maxBundleRows rows a bundle may hold before it is sent anyway
     */
    public static Streams build(
            DataStream<RequestEvent> events,
            WindowSettings window,
            Duration flushInterval,
            int maxBundleRows) {
        DataStream<KpiPartial> partials =
                events.transform(
                                "pre-aggregate",
                                TypeInformation.of(KpiPartial.class),
                                new KpiPreAggregator(REQUEST_GRAINS, flushInterval, maxBundleRows))
                        .uid("health-aggregator.pre-aggregate");
        SingleOutputStreamOperator<KpiRow> rows =
                partials.keyBy(KpiPartial::key)
                        .process(new KpiWindowFunction(window))
                        .uid("health-aggregator.kpi-window")
                        .name("kpi-window");
        return new Streams(
                rows,
                rows.getSideOutput(KpiWindowFunction.HISTORY),
                rows.getSideOutput(KpiWindowFunction.TOO_LATE));
    }
}
