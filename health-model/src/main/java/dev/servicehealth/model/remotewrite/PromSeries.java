package dev.servicehealth.model.remotewrite;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One Prometheus time series of a remote-write request: its full label set and its float samples.
 *
 * <p>Guarantees: {@code labels} is immutable, iterates in ascending name order (the order remote
 * write requires on the wire), always holds a non-empty {@value #METRIC_NAME_LABEL}, and has no
 * empty names or values. {@code samples} is immutable and keeps the order of the request.
 *
 * @param labels every label of the series, including {@value #METRIC_NAME_LABEL}
 * @param samples the samples in request order
 */
public record PromSeries(Map<String, String> labels, List<PromSample> samples) {

    /** The label that carries the metric name. */
    public static final String METRIC_NAME_LABEL = "__name__";

    /**
     * @throws IllegalArgumentException if the metric name is missing, or a label name or value is
     *     empty (Prometheus treats an empty value as an absent label, so such a label would make
     *     two different-looking series identical)
     */
    public PromSeries {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(samples, "samples");
        // String order equals the byte order Prometheus sorts by, because label names are ASCII.
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> label : labels.entrySet()) {
            String name = Objects.requireNonNull(label.getKey(), "label name");
            String value = Objects.requireNonNull(label.getValue(), () -> "value of " + name);
            if (name.isEmpty() || value.isEmpty()) {
                throw new IllegalArgumentException(
                        "empty label name or value: '" + name + "'='" + value + "'");
            }
            sorted.put(name, value);
        }
        if (!sorted.containsKey(METRIC_NAME_LABEL)) {
            throw new IllegalArgumentException(
                    "series without " + METRIC_NAME_LABEL + ": " + sorted);
        }
        labels = Collections.unmodifiableSortedMap(sorted);
        samples = List.copyOf(samples);
    }

    /** The value of {@value #METRIC_NAME_LABEL}. */
    public String metricName() {
        return labels.get(METRIC_NAME_LABEL);
    }
}
