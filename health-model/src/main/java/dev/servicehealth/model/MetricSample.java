package dev.servicehealth.model;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One Prometheus sample with its series identity. {@code labels} holds every label except {@code
 * __name__}, sorted by name, so that {@link #seriesKey()} is stable across senders.
 */
public record MetricSample(
        String metricName,
        Map<String, String> labels,
        Region region,
        String service,
        long timestampMs,
        double value,
        long ingestTimeMs) {

    public MetricSample {
        Objects.requireNonNull(metricName, "metricName");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(service, "service");
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }

    /** The series identity in Prometheus text form, e.g. {@code queue_depth{region="EMEA",...}}. */
    public String seriesKey() {
        StringBuilder key = new StringBuilder(metricName).append('{');
        boolean first = true;
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (!first) {
                key.append(',');
            }
            key.append(label.getKey()).append("=\"").append(label.getValue()).append('"');
            first = false;
        }
        return key.append('}').toString();
    }

    /** Identity for de-duplication and the Kafka key: a series has one value per timestamp. */
    public String dedupKey() {
        return seriesKey() + "@" + timestampMs;
    }
}
