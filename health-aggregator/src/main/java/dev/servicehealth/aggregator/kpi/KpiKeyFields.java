package dev.servicehealth.aggregator.kpi;

import dev.servicehealth.model.MetricSample;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.catalog.Grain;

/**
 * The values a {@link KpiKey} is made of, not yet joined: what the pre-aggregator looks rows up by,
 * since hashing and comparing the event's own strings costs less than building a joined key for
 * every event and grain. The one place that says which event fields are a grain's dimensions (the
 * order of {@link Grain#dimensions()}). {@code dimension1} to {@code dimension6} are the grain's
 * dimensions after the window start, in that order; their meaning is the grain's (for the service
 * grain region, zone, product, service, endpoint, tier), and the slots after a grain's last
 * dimension are null. Six fields, not an array, so that equality and hash code are the strings'.
 */
public record KpiKeyFields(
        Grain grain,
        long windowStartMs,
        String dimension1,
        String dimension2,
        String dimension3,
        String dimension4,
        String dimension5,
        String dimension6) {

    public static KpiKeyFields of(Grain grain, RequestEvent event) {
        long windowStart = KpiKey.windowStart(event.eventTimeMs());
        return switch (grain) {
            case SERVICE ->
                    new KpiKeyFields(
                            grain,
                            windowStart,
                            event.region().name(),
                            event.zone(),
                            event.product(),
                            event.service(),
                            event.endpoint(),
                            event.tenantTier().name());
            case DRILLDOWN ->
                    new KpiKeyFields(
                            grain,
                            windowStart,
                            event.tenantToken(),
                            event.endpoint(),
                            event.region().name(),
                            event.tenantTier().name(),
                            null,
                            null);
            case SATURATION ->
                    throw new IllegalArgumentException("saturation rows come from samples");
        };
    }

    /** The saturation row a metric sample feeds: its window, region and service. */
    public static KpiKeyFields of(MetricSample sample) {
        return new KpiKeyFields(
                Grain.SATURATION,
                KpiKey.windowStart(sample.timestampMs()),
                sample.region().name(),
                sample.service(),
                null,
                null,
                null,
                null);
    }

    public KpiKey key() {
        String[] values = {dimension1, dimension2, dimension3, dimension4, dimension5, dimension6};
        // the grain's dimensions after window_start, in order
        int count = grain.dimensions().size() - 1;
        StringBuilder dimensions = new StringBuilder(values[0]);
        for (int i = 1; i < count; i++) {
            dimensions.append(KpiKey.SEPARATOR).append(values[i]);
        }
        return new KpiKey(grain.name(), windowStartMs, dimensions.toString());
    }
}
