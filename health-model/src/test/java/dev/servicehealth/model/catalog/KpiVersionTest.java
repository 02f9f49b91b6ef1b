package dev.servicehealth.model.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * A newer generation's row wins over every row of an older one; counts still order a generation.
 */
class KpiVersionTest {
    @Test
    void aNewerGenerationWinsWhateverTheCounts() {
        long olderAtItsLast = KpiVersion.of(4, (1L << KpiVersion.COUNT_BITS) - 2);
        long newerAtItsFirst = KpiVersion.of(5, 1);

        assertThat(newerAtItsFirst).isGreaterThan(olderAtItsLast);
        assertThat(KpiVersion.of(KpiVersion.MAX_GENERATION, 1)).isPositive();
    }

    @Test
    void countsOrderOneGenerationAndGenerationZeroIsThePlainCount() {
        assertThat(KpiVersion.of(3, 8)).isGreaterThan(KpiVersion.of(3, 7));
        assertThat(KpiVersion.of(0, 42)).isEqualTo(42);
        assertThat(KpiVersion.generation(KpiVersion.of(7, 9))).isEqualTo(7);
        assertThat(KpiVersion.count(KpiVersion.of(7, 9))).isEqualTo(9);
    }

    @Test
    void aBackfilledRowIsAboveEveryStreamingVersionOfItsGenerationAndBelowTheNext() {
        long backfilled = KpiVersion.backfilled(3);

        assertThat(backfilled).isGreaterThan(KpiVersion.of(3, (1L << KpiVersion.COUNT_BITS) - 2));
        assertThat(backfilled).isLessThan(KpiVersion.of(4, 0));
        assertThat(KpiVersion.generation(backfilled)).isEqualTo(3);
        assertThat(KpiVersion.backfilled(3)).as("a rerun's version").isEqualTo(backfilled);
        assertThatThrownBy(() -> KpiVersion.of(3, (1L << KpiVersion.COUNT_BITS) - 1))
                .as("no emission takes the backfill's count")
                .hasMessageContaining("out of range");
    }

    @Test
    void refusesWhatDoesNotFit() {
        assertThatThrownBy(() -> KpiVersion.of(KpiVersion.MAX_GENERATION + 1, 1))
                .hasMessageContaining("generation 65536 is not within 0..65535");
        assertThatThrownBy(() -> KpiVersion.of(1, 1L << KpiVersion.COUNT_BITS))
                .hasMessageContaining("out of range");
    }
}
