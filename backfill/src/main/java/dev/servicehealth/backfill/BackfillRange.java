package dev.servicehealth.backfill;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The windows a backfill recomputes: those starting in {@code [from, to)}, whole minutes.
 *
 * <p>What it reads of bronze is wider: from the dedup retention before {@code from}, so a retry of
 * an event read before the range is still known as one, to {@code now}, so every copy of the
 * range's events that has arrived counts, the ones that came too late for the stream included.
 */
public record BackfillRange(Instant from, Instant to) implements Serializable {
    public BackfillRange {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("--from " + from + " is not before --to " + to);
        }
        for (Instant bound : List.of(from, to)) {
            if (!bound.truncatedTo(ChronoUnit.MINUTES).equals(bound)) {
                throw new IllegalArgumentException(
                        bound + " is not on a minute: windows are whole minutes");
            }
        }
    }

    /** Parses ISO instants such as {@code 2026-11-30T10:00Z} or {@code 2026-11-30T10:00:00Z}. */
    public static BackfillRange parse(String from, String to) {
        return new BackfillRange(instant("--from", from), instant("--to", to));
    }

    private static Instant instant(String option, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(option + " is required, e.g. 2026-11-30T10:00Z");
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    option + " " + value + " is not a time such as 2026-11-30T10:00Z");
        }
    }

    /** What the backfill must not do, as sentences; empty when it may run. */
    public List<String> refusals(Instant now, Limits limits) {
        List<String> refusals = new ArrayList<>();
        Instant horizon = now.minus(limits.horizon());
        if (from.isBefore(horizon)) {
            refusals.add(
                    "--from "
                            + from
                            + " is older than the horizon of "
                            + limits.horizon().toHours()
                            + " h ("
                            + horizon.truncatedTo(ChronoUnit.SECONDS)
                            + "); a longer range needs --horizon and a reason to trust bronze"
                            + " that far");
        }
        Instant oldestBronze = now.minus(limits.bronzeRetention());
        if (readFrom(limits.dedupRetention()).isBefore(oldestBronze)) {
            refusals.add(
                    "bronze keeps "
                            + limits.bronzeRetention().toDays()
                            + " days: it no longer holds everything from "
                            + readFrom(limits.dedupRetention()));
        }
        Instant closedAt = to.plus(limits.allowedLateness());
        if (closedAt.isAfter(now)) {
            refusals.add(
                    "the windows up to "
                            + to
                            + " are not closed yet: the stream may still change them until "
                            + closedAt
                            + " (their end plus the "
                            + limits.allowedLateness().toMinutes()
                            + " min lateness)");
        }
        return refusals;
    }

    /** Where the bronze read starts: the dedup retention before {@code from}. */
    public Instant readFrom(Duration dedupRetention) {
        return from.minus(dedupRetention);
    }

    public boolean contains(long windowStartMs) {
        return windowStartMs >= from.toEpochMilli() && windowStartMs < to.toEpochMilli();
    }

    /** The UTC days the range touches, for the daily usage. */
    public List<LocalDate> days() {
        List<LocalDate> days = new ArrayList<>();
        LocalDate last = to.minusMillis(1).atZone(ZoneOffset.UTC).toLocalDate();
        for (LocalDate day = from.atZone(ZoneOffset.UTC).toLocalDate();
                !day.isAfter(last);
                day = day.plusDays(1)) {
            days.add(day);
        }
        return days;
    }

    @Override
    public String toString() {
        return "[" + from + ", " + to + ")";
    }

    /**
     * What bounds a backfill.
     *
     * @param horizon how far back a range may start (24 h by default)
     * @param bronzeRetention how long bronze keeps raw records
     * @param allowedLateness how long after its end a window still changes in the stream
     * @param dedupRetention how long the dedup job recognises a copy
     */
    public record Limits(
            Duration horizon,
            Duration bronzeRetention,
            Duration allowedLateness,
            Duration dedupRetention) {}
}
