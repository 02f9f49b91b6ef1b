package dev.servicehealth.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class RawPartitionClocksTest {
    private static final long NOW = 1_795_341_600_000L;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RawPartitionClocks clocks =
            new RawPartitionClocks(10_000, 30_000, 300_000, meters);

    @Test
    void aPartitionLeftBehindByTheClockShowsHowFarInItsMeters() {
        clocks.advance(raw(0, NOW - 120_000), NOW - 120_000);
        clocks.advance(raw(1, NOW - 1_000), NOW);
        long watermark = NOW - 1_000 - 10_001;

        clocks.check(NOW + 31_000, watermark);

        assertThat(gauge("normalizer.raw.partition.behind.watermark", 0))
                .as("partition 0 went quiet two minutes ago; the clock moved on without it")
                .isEqualTo(119_000);
        assertThat(gauge("normalizer.raw.partition.behind.watermark", 1)).isZero();
        assertThat(gauge("normalizer.raw.partition.lag", 0))
                .as("how far behind real time its events are")
                .isGreaterThanOrEqualTo(120_000 + 10_001);
    }

    @Test
    void aProducerClockFarAheadDoesNotDragThePartitionForward() {
        long clock = clocks.advance(raw(0, NOW + 3_600_000), NOW);
        assertThat(clock)
                .as("at most the future skew ahead of the wall clock")
                .isEqualTo(NOW + 300_000 - 10_001);
    }

    @Test
    void closingRemovesTheMetersSoARestartedTaskRegistersItsOwn() {
        clocks.advance(raw(0, NOW), NOW);
        assertThat(meters.getMeters()).isNotEmpty();
        clocks.close();
        assertThat(meters.getMeters()).isEmpty();
    }

    private double gauge(String name, int partition) {
        return meters.get(name)
                .tag("topic", "raw.gateway")
                .tag("partition", "" + partition)
                .gauge()
                .value();
    }

    private static RawRecord raw(int partition, long timestampMs) {
        return new RawRecord("raw.gateway", partition, 0, timestampMs, null, new byte[] {'{', '}'});
    }
}
