package dev.servicehealth.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LocalRunOptionsTest {
    @Test
    void defaultsToTheEmeaOutage() {
        LocalRunOptions options = LocalRunOptions.parse();
        assertThat(options.scenario()).isEqualTo("emea-auth-outage");
        assertThat(options.rate()).isEqualTo(500);
        assertThat(options.help()).isFalse();
    }

    @Test
    void readsOptionsAndHelp() {
        LocalRunOptions options =
                LocalRunOptions.parse("--scenario", "steady-state", "--rate", "2000", "--help");
        assertThat(options.scenario()).isEqualTo("steady-state");
        assertThat(options.rate()).isEqualTo(2000);
        assertThat(options.help()).isTrue();
    }

    @Test
    void refusesUnknownOptionsAndUnboundedRates() {
        assertThatThrownBy(() -> LocalRunOptions.parse("--colour", "red"))
                .hasMessageContaining("--colour");
        assertThatThrownBy(() -> LocalRunOptions.parse("--rate", "1000000"))
                .hasMessageContaining("--rate");
    }

    @Test
    void playsACaptureInsteadOfTheSimulator() {
        LocalRunOptions options =
                LocalRunOptions.parse("--replay", "/tmp/outage", "--speed", "10", "--shift-to-now");

        assertThat(options.trafficCommand("127.0.0.1:9092"))
                .containsExactly(
                        "replay",
                        "--from",
                        "/tmp/outage",
                        "--bootstrap-servers",
                        "127.0.0.1:9092",
                        "--speed",
                        "10",
                        "--shift-to-now");
        assertThat(
                        LocalRunOptions.parse("--replay", "/tmp/o", "--speed", "max")
                                .trafficCommand("b"))
                .contains("--max-speed")
                .doesNotContain("--speed", "--shift-to-now");
        assertThat(LocalRunOptions.parse().trafficCommand("b")).startsWith("generate");
    }

    @Test
    void refusesReplayOptionsWithoutACaptureAndSimulatorOptionsWithOne() {
        assertThatThrownBy(() -> LocalRunOptions.parse("--shift-to-now"))
                .hasMessageContaining("need --replay");
        assertThatThrownBy(() -> LocalRunOptions.parse("--replay", "/tmp/o", "--rate", "100"))
                .hasMessageContaining("--rate");
        assertThatThrownBy(() -> LocalRunOptions.parse("--replay", "/tmp/o", "--speed", "0"))
                .hasMessageContaining("--speed");
    }
}
