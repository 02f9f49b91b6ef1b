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
}
