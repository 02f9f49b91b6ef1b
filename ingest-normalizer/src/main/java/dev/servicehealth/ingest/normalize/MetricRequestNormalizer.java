package dev.servicehealth.ingest.normalize;

import dev.servicehealth.ingest.parse.RejectedRecord;
import dev.servicehealth.model.DeadLetterReason;
import dev.servicehealth.model.MetricSample;
import dev.servicehealth.model.Region;
import dev.servicehealth.model.remotewrite.PromSample;
import dev.servicehealth.model.remotewrite.PromSeries;
import dev.servicehealth.model.remotewrite.RemoteWriteCodec;
import dev.servicehealth.model.remotewrite.RemoteWriteFormatException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Decodes one remote-write request into {@link MetricSample}s. Series without a valid region or a
 * service label cannot be placed on any dashboard; they are counted and reported as one dead letter
 * for the request while its other series are still normalized.
 */
final class MetricRequestNormalizer {
    static final String REGION_LABEL = "region";
    static final String SERVICE_LABEL = "service";

    /** Result of one request: how many series were rejected, and an example of why. */
    record Outcome(int samples, int rejectedSeries, String example) {}

    Outcome normalize(byte[] body, long ingestTimeMs, Consumer<MetricSample> out)
            throws RejectedRecord {
        List<PromSeries> series;
        try {
            series = RemoteWriteCodec.decode(body);
        } catch (RemoteWriteFormatException e) {
            throw new RejectedRecord(
                    DeadLetterReason.REMOTE_WRITE_UNDECODABLE,
                    e.reason().name().toLowerCase() + ": " + e.detail());
        }
        int samples = 0;
        int rejected = 0;
        String example = null;
        for (PromSeries s : series) {
            Region region = Region.parse(s.labels().get(REGION_LABEL)).orElse(null);
            String service = s.labels().get(SERVICE_LABEL);
            if (region == null || service == null || service.isEmpty()) {
                rejected++;
                if (example == null) {
                    example = s.metricName() + " " + s.labels();
                }
                continue;
            }
            Map<String, String> labels = new HashMap<>(s.labels());
            labels.remove(PromSeries.METRIC_NAME_LABEL);
            for (PromSample sample : s.samples()) {
                out.accept(
                        new MetricSample(
                                s.metricName(),
                                labels,
                                region,
                                service,
                                sample.timestampMs(),
                                sample.value(),
                                ingestTimeMs));
                samples++;
            }
        }
        return new Outcome(samples, rejected, example);
    }
}
