package dev.servicehealth.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SimulatorConfigTest {

    @Test
    void defaultsAreValidAndUseTheStandardTopicNames() {
        SimulatorConfig config = SimulatorConfig.builder().build();

        assertThat(config.topics().gateway()).isEqualTo("raw.gateway");
        assertThat(config.dirt().rate(Dirt.DUPLICATE)).isEqualTo(0.01);
        assertThat(config.toBuilder().build()).isEqualTo(config);
    }

    @Test
    void invalidSettingsFailNamingTheSetting() {
        assertThatThrownBy(() -> SimulatorConfig.builder().eventsPerSecond(0).build())
                .hasMessageStartingWith("eventsPerSecond:");
        assertThatThrownBy(() -> SimulatorConfig.builder().duration(Duration.ZERO).build())
                .hasMessageStartingWith("duration:");
        assertThatThrownBy(
                        () ->
                                SimulatorConfig.builder()
                                        .start(Instant.parse("1999-01-01T00:00:00Z"))
                                        .build())
                .hasMessageStartingWith("start:");
        assertThatThrownBy(() -> SimulatorConfig.builder().maxJitter(Duration.ofMinutes(2)).build())
                .hasMessageStartingWith("maxJitter:");
        assertThatThrownBy(() -> SimulatorConfig.builder().dirt(Dirt.MALFORMED, 0.5).build())
                .hasMessageStartingWith("dirt.malformed:");
        assertThatThrownBy(() -> new TopicNames("a", "a", "b", "c"))
                .hasMessageStartingWith("topics:");
        assertThatThrownBy(() -> new TopicNames("a b", "x", "y", "z"))
                .hasMessageStartingWith("topics.gateway:");
    }

    @Test
    void dirtAndScenarioNamesParseInCliAndConstantSpelling() {
        assertThat(Dirt.parse("late-flush")).isEqualTo(Dirt.LATE_FLUSH);
        assertThat(Dirt.parse("BEYOND_BOUND")).isEqualTo(Dirt.BEYOND_BOUND);
        assertThat(Scenario.parse("EMEA_AUTH_OUTAGE")).isEqualTo(Scenario.EMEA_AUTH_OUTAGE);
        assertThat(Scenario.parse("bad-deploy-hot-endpoint"))
                .isEqualTo(Scenario.BAD_DEPLOY_HOT_ENDPOINT);
    }
}
