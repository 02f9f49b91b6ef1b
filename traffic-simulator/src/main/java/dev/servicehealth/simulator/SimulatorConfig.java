package dev.servicehealth.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Everything a run depends on: the same config (including the seed) gives byte-identical records.
 * Immutable and validated on construction; an invalid value fails with the name of its setting.
 *
 * @param seed seeds every random choice
 * @param scenario what happens during the run
 * @param start event time of the first simulated instant
 * @param duration simulated time covered; every record is emitted before {@code start + duration}
 * @param eventsPerSecond gateway requests per simulated second (auth, metrics and status come on
 *     top)
 * @param dirt rates of the dirty-data kinds
 * @param maxJitter the largest normal shipping delay (event time to emission), at most 1 minute
 * @param topics topic name of each raw topic
 * @param metricsInterval how often each region's Prometheus sends a remote-write request
 * @param statusEventsPerHour background deploys and flag changes per simulated hour
 * @param authShare share of gateway requests that also produce an auth-service line
 * @param detail how much ground truth to keep
 */
public record SimulatorConfig(
        long seed,
        Scenario scenario,
        Instant start,
        Duration duration,
        double eventsPerSecond,
        DirtRates dirt,
        Duration maxJitter,
        TopicNames topics,
        Duration metricsInterval,
        double statusEventsPerHour,
        double authShare,
        GroundTruthDetail detail) {

    /** Timestamps outside 2000-2100 are invalid in the data model; stay well inside. */
    private static final Instant EARLIEST_START = Instant.parse("2001-01-01T00:00:00Z");

    private static final Instant LATEST_END = Instant.parse("2099-01-01T00:00:00Z");
    private static final Duration MAX_DURATION = Duration.ofDays(7);

    public SimulatorConfig {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(dirt, "dirt");
        Objects.requireNonNull(maxJitter, "maxJitter");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(metricsInterval, "metricsInterval");
        Objects.requireNonNull(detail, "detail");
        require(
                !duration.isNegative()
                        && !duration.isZero()
                        && duration.compareTo(MAX_DURATION) <= 0,
                "duration",
                duration + " must be within (0, 7 days]");
        require(
                !start.isBefore(EARLIEST_START) && start.plus(duration).isBefore(LATEST_END),
                "start",
                start + " + duration must lie within 2001-2099");
        require(
                eventsPerSecond > 0 && eventsPerSecond <= 1_000_000,
                "eventsPerSecond",
                eventsPerSecond + " must be within (0, 1000000]");
        require(
                !maxJitter.isNegative() && maxJitter.compareTo(Duration.ofMinutes(1)) <= 0,
                "maxJitter",
                maxJitter + " must be within [0, 1 min]");
        require(
                metricsInterval.compareTo(Duration.ofSeconds(1)) >= 0
                        && metricsInterval.compareTo(Duration.ofMinutes(5)) <= 0,
                "metricsInterval",
                metricsInterval + " must be within [1 s, 5 min]");
        require(
                statusEventsPerHour >= 0 && statusEventsPerHour <= 3600,
                "statusEventsPerHour",
                statusEventsPerHour + " must be within [0, 3600]");
        require(
                authShare >= 0 && authShare <= 1,
                "authShare",
                authShare + " must be within [0, 1]");
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .seed(seed)
                .scenario(scenario)
                .start(start)
                .duration(duration)
                .eventsPerSecond(eventsPerSecond)
                .dirt(dirt)
                .maxJitter(maxJitter)
                .topics(topics)
                .metricsInterval(metricsInterval)
                .statusEventsPerHour(statusEventsPerHour)
                .authShare(authShare)
                .detail(detail);
    }

    public long startMs() {
        return start.toEpochMilli();
    }

    public long endMs() {
        return start.toEpochMilli() + duration.toMillis();
    }

    private static void require(boolean ok, String setting, String message) {
        if (!ok) {
            throw new IllegalArgumentException(setting + ": " + message);
        }
    }

    /** Defaults: seed 42, steady state from 2026-11-22T10:00Z for 5 minutes at 1000 events/s. */
    public static final class Builder {
        private long seed = 42;
        private Scenario scenario = Scenario.STEADY_STATE;
        private Instant start = Instant.parse("2026-11-22T10:00:00Z");
        private Duration duration = Duration.ofMinutes(5);
        private double eventsPerSecond = 1000;
        private DirtRates dirt = DirtRates.defaults();
        private Duration maxJitter = Duration.ofSeconds(5);
        private TopicNames topics = TopicNames.defaults();
        private Duration metricsInterval = Duration.ofSeconds(5);
        private double statusEventsPerHour = 30;
        private double authShare = 0.2;
        private GroundTruthDetail detail = GroundTruthDetail.FULL;

        private Builder() {}

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder scenario(Scenario scenario) {
            this.scenario = scenario;
            return this;
        }

        public Builder start(Instant start) {
            this.start = start;
            return this;
        }

        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        public Builder eventsPerSecond(double eventsPerSecond) {
            this.eventsPerSecond = eventsPerSecond;
            return this;
        }

        public Builder dirt(DirtRates dirt) {
            this.dirt = dirt;
            return this;
        }

        public Builder dirt(Dirt dirt, double rate) {
            this.dirt = this.dirt.with(dirt, rate);
            return this;
        }

        public Builder maxJitter(Duration maxJitter) {
            this.maxJitter = maxJitter;
            return this;
        }

        public Builder topics(TopicNames topics) {
            this.topics = topics;
            return this;
        }

        public Builder metricsInterval(Duration metricsInterval) {
            this.metricsInterval = metricsInterval;
            return this;
        }

        public Builder statusEventsPerHour(double statusEventsPerHour) {
            this.statusEventsPerHour = statusEventsPerHour;
            return this;
        }

        public Builder authShare(double authShare) {
            this.authShare = authShare;
            return this;
        }

        public Builder detail(GroundTruthDetail detail) {
            this.detail = detail;
            return this;
        }

        public SimulatorConfig build() {
            return new SimulatorConfig(
                    seed,
                    scenario,
                    start,
                    duration,
                    eventsPerSecond,
                    dirt,
                    maxJitter,
                    topics,
                    metricsInterval,
                    statusEventsPerHour,
                    authShare,
                    detail);
        }
    }
}
