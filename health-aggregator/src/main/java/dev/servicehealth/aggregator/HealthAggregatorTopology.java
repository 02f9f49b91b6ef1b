package dev.servicehealth.aggregator;

import dev.servicehealth.aggregator.kpi.KpiPartial;
import dev.servicehealth.aggregator.kpi.KpiRow;
import dev.servicehealth.aggregator.window.KpiWindowFunction;
import dev.servicehealth.aggregator.window.RequestPreAggregator;
import dev.servicehealth.aggregator.window.SaturationPreAggregator;
import dev.servicehealth.aggregator.window.WindowSettings;
import dev.servicehealth.model.MetricSample;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.catalog.CounterKpi;
import dev.servicehealth.model.catalog.Grain;
import dev.servicehealth.model.catalog.MetricCatalog;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The aggregator as a function from deduplicated request events and metric samples (each with its
 * clock as its timestamp, and the pipeline clock as the watermark, decision 0009) to KPI upserts,
 * final values and too-late contributions. The job wires it between Kafka topics; tests between
 * their own sources and sinks.
 *
 * <pre>
 *  requests ─► pre-aggregate ─keyBy(row key)─► KPI window ────────┬─► upserts
 *  samples  ─► pre-aggregate ─keyBy(row key)─► saturation window ─┼─► history (final)
 *                                                                 └─► too late
 * </pre>
 *
 * Requests and samples have windows of their own, so a metrics source that falls behind holds back
 * only the saturation rows' watermark, never the request KPIs'.
 */
public final class HealthAggregatorTopology {
    /** The request grains; saturation rows come from metric samples. */
    public static final List<Grain> REQUEST_GRAINS = List.of(Grain.SERVICE, Grain.DRILLDOWN);

    private HealthAggregatorTopology() {}

    /** The three outputs. */
    public record Streams(
            DataStream<KpiRow> upserts,
            DataStream<KpiRow> history,
            DataStream<KpiPartial> tooLate) {}

    /**
     * Both: request KPIs and saturation rows, their outputs united.
     *
     * @param flushInterval how long the pre-aggregators bundle events before sending partials
     * @param maxBundleRows rows a bundle may hold before it is sent anyway
     */
    public static Streams build(
            DataStream<RequestEvent> requests,
            DataStream<MetricSample> samples,
            WindowSettings window,
            Duration flushInterval,
            int maxBundleRows) {
        return build(
                requests, samples, window, flushInterval, maxBundleRows, MetricCatalog.COUNTERS);
    }

    /**
     * Both, the request KPIs counted by {@code counters}: the catalog's, or an older version of
     * them (a test deploying a wrong definition, to repair it).
     */
    public static Streams build(
            DataStream<RequestEvent> requests,
            DataStream<MetricSample> samples,
            WindowSettings window,
            Duration flushInterval,
            int maxBundleRows,
            List<CounterKpi> counters) {
        Streams requestRows = requestKpis(requests, window, flushInterval, maxBundleRows, counters);
        Streams saturationRows = saturationKpis(samples, window, flushInterval, maxBundleRows);
        return new Streams(
                requestRows.upserts().union(saturationRows.upserts()),
                requestRows.history().union(saturationRows.history()),
                requestRows.tooLate().union(saturationRows.tooLate()));
    }

    /** The rows of the {@link #REQUEST_GRAINS}. */
    public static Streams requestKpis(
            DataStream<RequestEvent> requests,
            WindowSettings window,
            Duration flushInterval,
            int maxBundleRows,
            List<CounterKpi> counters) {
        return windows(
                requests.transform(
                                "pre-aggregate",
                                TypeInformation.of(KpiPartial.class),
                                new RequestPreAggregator(
                                        REQUEST_GRAINS,
                                        flushInterval,
                                        maxBundleRows,
                                        window.allowedLateness(),
                                        counters))
                        .uid("health-aggregator.pre-aggregate"),
                window,
                "kpi-window");
    }

    /** The saturation rows. */
    public static Streams saturationKpis(
            DataStream<MetricSample> samples,
            WindowSettings window,
            Duration flushInterval,
            int maxBundleRows) {
        return windows(
                samples.transform(
                                "pre-aggregate-saturation",
                                TypeInformation.of(KpiPartial.class),
                                new SaturationPreAggregator(
                                        flushInterval, maxBundleRows, window.allowedLateness()))
                        .uid("health-aggregator.pre-aggregate-saturation"),
                window,
                "saturation-window");
    }

    private static Streams windows(
            DataStream<KpiPartial> partials, WindowSettings window, String name) {
        SingleOutputStreamOperator<KpiRow> rows =
                partials.keyBy(KpiPartial::key)
                        .process(new KpiWindowFunction(window))
                        .uid("health-aggregator." + name)
                        .name(name);
        return new Streams(
                rows,
                rows.getSideOutput(KpiWindowFunction.HISTORY),
                rows.getSideOutput(KpiWindowFunction.TOO_LATE));
    }
}
