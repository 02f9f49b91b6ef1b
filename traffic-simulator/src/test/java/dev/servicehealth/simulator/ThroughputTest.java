package dev.servicehealth.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThroughputTest {

    /**
     * A regression guard, not a benchmark: the bound is generous because the build machine is
     * shared. A quiet machine generates a million gateway lines in about four seconds.
     */
    @Test
    void generatesHalfAMillionGatewayLinesWithinSeconds() {
        SimulatorConfig config =
                SimulatorConfig.builder()
                        .eventsPerSecond(10_000)
                        .duration(Duration.ofSeconds(50))
                        .detail(GroundTruthDetail.COUNTS)
                        .build();
        TrafficSimulator simulator = new TrafficSimulator(config);
        long start = System.nanoTime();

        long bytes = simulator.records().mapToLong(r -> r.value().length).sum();

        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(simulator.groundTruth().recordsOn(RawTopic.GATEWAY)).isGreaterThan(500_000);
        assertThat(bytes).isPositive();
        assertThat(elapsed).isLessThan(Duration.ofSeconds(20));
    }
}
