package dev.servicehealth.aggregator.kpi;

import dev.servicehealth.model.MetricSample;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.catalog.Grain;

/**
 * The values a {@link KpiKey} is made of, not yet joined: what the pre-aggregator looks rows up by,
 * since hashing and comparing the event's own strings costs less than building a joined key for
 * every event and grain. The one place that says which event fields are a grain's dimensions (the
 * order of {@link Grain#dimensions()}); the slots after a grain's last dimension are null.
 */
public record KpiKeyFields(
        Grain grain,
        long windowStartMs,
        String first,
        String second,
        String third,
        String fourth,
        String fifth,
        String sixth) {

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
        String[] values = {first, second, third, fourth, fifth, sixth};
        // the grain's dimensions after window_start, in order
        int count = grain.dimensions().size() - 1;
        StringBuilder dimensions = new StringBuilder(values[0]);
        for (int i = 1; i < count; i++) {
            dimensions.append(KpiKey.SEPARATOR).append(values[i]);
        }
        return new KpiKey(grain.name(), windowStartMs, dimensions.toString());
    }
}
