package dev.servicehealth.pager;

import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.pager.ScopePage;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The pager as a function from deduplicated request events (the pipeline clock as the watermark) to
 * pages. The job wires it between Kafka topics; tests between their own sources and sinks.
 *
 * <pre>
 *  requests ─► counts per objective, scope ─keyBy(objective, scope)─► burn rates ─keyBy(severity)─► pages
 *              and ten-second bucket                                  (alerts per                   (one per
 *                                                                      objective and scope)          broken place)
 * </pre>
 */
public final class SloPagerTopology {
    private SloPagerTopology() {}

    /**
     * @param burn what the burn-rate evaluator needs
     * @param flushInterval how long the bundler sums counts before sending them
     * @param maxBundleCounts counts a bundle may hold before it is sent anyway
     * @param settle how long a change waits before the pages are chosen again
     * @param narrowScopeHold how long a live burn that would open a page of a zone or a tenant
     *     waits for its region to trip
     */
    public record Settings(
            BurnSettings burn,
            Duration flushInterval,
            int maxBundleCounts,
            Duration settle,
            Duration narrowScopeHold) {}

    public static DataStream<ScopePage> build(
            DataStream<RequestEvent> requests, Settings settings) {
        BurnSettings burn = settings.burn();
        return requests.transform(
                        "slo-counts",
                        TypeInformation.of(SloCount.class),
                        new SloCountBundler(
                                new SloScopes(burn.objectives()),
                                settings.flushInterval(),
                                settings.maxBundleCounts()))
                .uid("slo-pager.counts")
                .keyBy(SloCount::key, Types.STRING)
                .process(new BurnRateEvaluator(burn))
                .uid("slo-pager.burn-rates")
                .name("burn-rates")
                .keyBy(alert -> alert.severity().name(), Types.STRING)
                .process(
                        new ScopePager(
                                settings.settle(),
                                settings.narrowScopeHold(),
                                burn.metricsPort(),
                                burn.metricsBindAddress()))
                .uid("slo-pager.pages")
                .name("pages");
    }
}
