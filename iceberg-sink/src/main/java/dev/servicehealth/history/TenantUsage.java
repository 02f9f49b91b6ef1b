package dev.servicehealth.history;

import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.catalog.MetricCatalog;

/**
 * Usage of one tenant in one region over a span (a minute, then the day): the catalog's requests,
 * successes and bytes out, and the most requests of any one minute in it. {@code minuteStartMs} is
 * the minute of a minute's usage; of a day's usage, its first minute with requests.
 */
public record TenantUsage(
        String tenantToken,
        String region,
        long minuteStartMs,
        long requests,
        long successes,
        long bytesOut,
        long peakRequestsPerMinute) {

    /** One event's usage, in its minute. */
    static TenantUsage of(RequestEvent event) {
        long requests = MetricCatalog.REQUESTS.of(event);
        return new TenantUsage(
                event.tenantToken(),
                event.region().name(),
                event.eventTimeMs() - Math.floorMod(event.eventTimeMs(), 60_000L),
                requests,
                MetricCatalog.SUCCESSES.of(event),
                MetricCatalog.BYTES_OUT.of(event),
                requests);
    }

    /** The usage of the same minute: counts add up, and so does the minute's request count. */
    TenantUsage plusSameMinute(TenantUsage other) {
        return new TenantUsage(
                tenantToken,
                region,
                minuteStartMs,
                requests + other.requests,
                successes + other.successes,
                bytesOut + other.bytesOut,
                peakRequestsPerMinute + other.peakRequestsPerMinute);
    }

    /** The usage of two spans of the same day: counts add up, the peak is the higher one. */
    TenantUsage plusSameDay(TenantUsage other) {
        return new TenantUsage(
                tenantToken,
                region,
                Math.min(minuteStartMs, other.minuteStartMs),
                requests + other.requests,
                successes + other.successes,
                bytesOut + other.bytesOut,
                Math.max(peakRequestsPerMinute, other.peakRequestsPerMinute));
    }
}
