package dev.servicehealth.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The range a backfill may recompute, and why it would refuse one. */
class BackfillRangeTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final BackfillRange.Limits LIMITS =
            new BackfillRange.Limits(
                    Duration.ofHours(24),
                    Duration.ofDays(14),
                    Duration.ofMinutes(10),
                    Duration.ofMinutes(30));

    @Test
    void parsesMinutesWithOrWithoutSeconds() {
        BackfillRange range = BackfillRange.parse("2026-11-30T10:00Z", "2026-11-30T16:00:00Z");

        assertThat(range.from()).isEqualTo(Instant.parse("2026-11-30T10:00:00Z"));
        assertThat(range.to()).isEqualTo(Instant.parse("2026-11-30T16:00:00Z"));
        assertThat(range.contains(Instant.parse("2026-11-30T15:59:00Z").toEpochMilli())).isTrue();
        assertThat(range.contains(range.to().toEpochMilli())).as("to is exclusive").isFalse();
    }

    @Test
    void refusesWhatIsNotARangeOfWholeMinutes() {
        assertThatThrownBy(() -> BackfillRange.parse("2026-11-30T10:00:30Z", "2026-11-30T11:00Z"))
                .hasMessageContaining("is not on a minute");
        assertThatThrownBy(() -> BackfillRange.parse("2026-11-30T11:00Z", "2026-11-30T10:00Z"))
                .hasMessageContaining("is not before");
        assertThatThrownBy(() -> BackfillRange.parse("yesterday", "2026-11-30T10:00Z"))
                .hasMessageContaining("--from yesterday is not a time");
        assertThatThrownBy(() -> BackfillRange.parse(null, "2026-11-30T10:00Z"))
                .hasMessageContaining("--from is required");
    }

    @Test
    void aClosedRangeWithinTheHorizonMayRun() {
        BackfillRange range = BackfillRange.parse("2026-11-30T13:00Z", "2026-12-01T11:50Z");

        assertThat(range.refusals(NOW, LIMITS)).isEmpty();
        assertThat(range.readFrom(LIMITS.dedupRetention()))
                .isEqualTo(Instant.parse("2026-11-30T12:30:00Z"));
    }

    @Test
    void refusesARangeOlderThanTheHorizon() {
        BackfillRange range = BackfillRange.parse("2026-11-30T11:59Z", "2026-11-30T13:00Z");

        assertThat(range.refusals(NOW, LIMITS))
                .singleElement()
                .asString()
                .contains("older than the horizon of 24 h");
    }

    @Test
    void refusesWindowsThatAreNotClosedYet() {
        BackfillRange range = BackfillRange.parse("2026-12-01T11:00Z", "2026-12-01T11:51Z");

        assertThat(range.refusals(NOW, LIMITS))
                .singleElement()
                .asString()
                .contains("not closed yet", "2026-12-01T12:01:00Z");
    }

    @Test
    void refusesWhatBronzeNoLongerHolds() {
        BackfillRange.Limits longHorizon =
                new BackfillRange.Limits(
                        Duration.ofDays(30),
                        Duration.ofDays(14),
                        Duration.ofMinutes(10),
                        Duration.ofMinutes(30));
        BackfillRange range = BackfillRange.parse("2026-11-17T12:10Z", "2026-11-18T00:00Z");

        assertThat(range.refusals(NOW, longHorizon))
                .singleElement()
                .asString()
                .contains("bronze keeps 14 days");
    }

    @Test
    void listsTheUtcDaysItTouches() {
        assertThat(BackfillRange.parse("2026-11-30T22:00Z", "2026-12-01T00:00Z").days())
                .containsExactly(LocalDate.parse("2026-11-30"));
        assertThat(BackfillRange.parse("2026-11-30T22:00Z", "2026-12-01T00:01Z").days())
                .containsExactly(LocalDate.parse("2026-11-30"), LocalDate.parse("2026-12-01"));
    }
}
