package dev.servicehealth.model.remotewrite;

/**
 * One float sample of a Prometheus series, as carried by remote write 1.0.
 *
 * <p>{@code value} keeps its exact bit pattern, so Prometheus' staleness marker (a NaN with a
 * specific payload) survives a decode/encode round trip.
 *
 * @param timestampMs milliseconds since the Unix epoch, as Prometheus assigned it
 * @param value the sample value
 */
public record PromSample(long timestampMs, double value) {}
