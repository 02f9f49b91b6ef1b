package dev.servicehealth.simulator;

import dev.servicehealth.model.DeadLetterReason;
import dev.servicehealth.model.EventKind;
import dev.servicehealth.model.Region;
import dev.servicehealth.model.remotewrite.PromSample;
import dev.servicehealth.model.remotewrite.PromSeries;
import dev.servicehealth.model.remotewrite.RemoteWriteCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each region's Prometheus: per service and instance (one per AZ) the gauges {@code
 * cpu_throttling_ratio}, {@code error_rate}, {@code queue_depth} and {@code request_rate}, sent as
 * one remote-write request per region and scrape. Queue depth and throttling rise with the
 * incident's severity on the affected service (identity in EMEA, or the hottest endpoint's
 * service).
 */
final class MetricsGenerator {
    static final String QUEUE_DEPTH = "queue_depth";
    static final String CPU_THROTTLING = "cpu_throttling_ratio";
    static final String REQUEST_RATE = "request_rate";
    static final String ERROR_RATE = "error_rate";

    /** A remote-write request reaches the receiver this long after its scrape, per region. */
    private static final long SEND_DELAY_MS = 400;

    private static final double[] REGION_SHARES = {0.45, 0.35, 0.20};

    private final SimulatorConfig config;
    private final TrafficModel model;
    private final ScenarioTimeline timeline;
    private final Dice dice;
    private final BadRecords bad;
    private final Schedule schedule;
    private final String hotService;

    MetricsGenerator(
            SimulatorConfig config,
            TrafficModel model,
            ScenarioTimeline timeline,
            Dice dice,
            Schedule schedule) {
        this.config = config;
        this.model = model;
        this.timeline = timeline;
        this.dice = dice;
        this.bad = new BadRecords(dice.split());
        this.schedule = schedule;
        this.hotService = model.hottest().info().service();
    }

    /** One scrape at {@code scrapeMs} in every region. */
    void scrape(long scrapeMs) {
        for (int r = 0; r < TrafficModel.REGIONS.size(); r++) {
            long emitMs = scrapeMs + SEND_DELAY_MS * (r + 1);
            if (emitMs >= config.endMs()) {
                continue;
            }
            regionRequest(TrafficModel.REGIONS.get(r), REGION_SHARES[r], scrapeMs, emitMs);
        }
    }

    private void regionRequest(Region region, double regionShare, long scrapeMs, long emitMs) {
        List<PromSeries> series = new ArrayList<>();
        for (String service : model.services()) {
            double severity = severity(region, service, scrapeMs);
            double perInstanceRate =
                    config.eventsPerSecond() * regionShare * model.serviceShare(service) / 3;
            for (String az : TrafficModel.availabilityZones(region)) {
                Map<String, String> labels = new TreeMap<>();
                labels.put("region", region.name());
                labels.put("service", service);
                labels.put("az", az);
                labels.put("instance", service + "-" + az + "-0");
                labels.put("job", "service-health");
                double throttling = clamp(0.02 + 0.01 * dice.gaussian() + 0.5 * severity);
                double errors = clamp(0.002 + 0.001 * dice.gaussian() + 0.4 * severity);
                long queue =
                        Math.round(
                                dice.logNormal(8, 0.4)
                                        + 400 * severity * (0.8 + 0.4 * dice.uniform()));
                double rate = Math.max(0, perInstanceRate * (1 + 0.05 * dice.gaussian()));
                series.add(gauge(labels, CPU_THROTTLING, scrapeMs, round(throttling, 10_000)));
                series.add(gauge(labels, ERROR_RATE, scrapeMs, round(errors, 10_000)));
                series.add(gauge(labels, QUEUE_DEPTH, scrapeMs, queue));
                series.add(gauge(labels, REQUEST_RATE, scrapeMs, round(rate, 10)));
            }
        }
        int goodSamples = series.size();
        Expectation expectation = Expectation.samples(goodSamples);
        if (dice.chance(config.dirt().rate(Dirt.SERIES_MISSING_REGION))) {
            if (dice.chance(0.1)) {
                // A Prometheus that lost its external labels: no series has a region.
                List<PromSeries> stripped = new ArrayList<>();
                for (PromSeries one : series) {
                    Map<String, String> labels = new TreeMap<>(one.labels());
                    labels.remove("region");
                    stripped.add(new PromSeries(labels, one.samples()));
                }
                series = stripped;
                goodSamples = 0;
            } else {
                // A sidecar exporter scraped without relabelling: a few series lack the region.
                long extra = dice.between(1, 3);
                for (int i = 0; i < extra; i++) {
                    Map<String, String> labels = new TreeMap<>();
                    labels.put(
                            "service", model.services().get(dice.index(model.services().size())));
                    labels.put("instance", "sidecar-" + i);
                    labels.put("job", "sidecar-exporter");
                    series.add(gauge(labels, QUEUE_DEPTH, scrapeMs, dice.between(0, 20)));
                }
            }
            expectation =
                    goodSamples == 0
                            ? Expectation.deadLetter(
                                    EventKind.METRIC_SAMPLE,
                                    DeadLetterReason.SERIES_MISSING_IDENTITY)
                            : Expectation.samplesAndDeadLetter(
                                    goodSamples, DeadLetterReason.SERIES_MISSING_IDENTITY);
        }
        byte[] body = RemoteWriteCodec.encode(series);
        schedule.add(emitMs, RawTopic.METRICS, null, body, expectation, null, false);
        if (dice.chance(config.dirt().rate(Dirt.UNDECODABLE_REMOTE_WRITE))) {
            schedule.add(
                    emitMs,
                    RawTopic.METRICS,
                    null,
                    bad.undecodableRemoteWrite(body),
                    Expectation.deadLetter(
                            EventKind.METRIC_SAMPLE, DeadLetterReason.REMOTE_WRITE_UNDECODABLE),
                    null,
                    false);
        }
    }

    private double severity(Region region, String service, long timeMs) {
        double severity = 0;
        if (region == Region.EMEA && service.equals(ScenarioTimeline.IDENTITY_SERVICE)) {
            severity = timeline.emeaAuthSeverity(timeMs);
        }
        if (service.equals(hotService)) {
            severity = Math.max(severity, timeline.badDeploySeverity(timeMs));
        }
        return severity;
    }

    private static PromSeries gauge(
            Map<String, String> labels, String name, long timestampMs, double value) {
        Map<String, String> withName = new TreeMap<>(labels);
        withName.put(PromSeries.METRIC_NAME_LABEL, name);
        return new PromSeries(withName, List.of(new PromSample(timestampMs, value)));
    }

    private static double clamp(double ratio) {
        return Math.min(1, Math.max(0, ratio));
    }

    private static double round(double value, double scale) {
        return Math.round(value * scale) / scale;
    }
}
