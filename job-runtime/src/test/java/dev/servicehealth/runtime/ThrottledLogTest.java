package dev.servicehealth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The first of a kind is logged, then one per interval with the count of those left out. */
class ThrottledLogTest {
    @Test
    void logsTheFirstThenOnePerIntervalWithWhatItLeftOut() {
        ThrottledLog<String> log = new ThrottledLog<>(10_000);

        assertThat(log.admit("a", 0)).isZero();
        assertThat(log.admit("a", 1_000)).isEqualTo(-1);
        assertThat(log.admit("a", 9_999)).isEqualTo(-1);
        assertThat(log.admit("b", 9_999)).as("another kind").isZero();
        assertThat(log.admit("a", 10_000)).isEqualTo(2);
        assertThat(log.admit("a", 10_001)).isEqualTo(-1);
    }
}
