package dev.servicehealth.simulator;

import dev.servicehealth.model.Region;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How a producer spells a valid line: canonical, or one of the drift variants that the data model
 * says the normalizer must still accept (aliases, numeric strings, other timestamp forms, region
 * spellings, unknown extra fields).
 */
enum Style {
    /** Canonical names, epoch-millisecond {@code timestamp}. */
    CANONICAL(0),
    /** camelCase aliases, {@code ts} in epoch milliseconds. */
    CAMEL(1),
    /** Legacy aliases, {@code @timestamp} ISO-8601 in UTC, lower-case region alias, extra field. */
    LEGACY(2),
    /** Canonical names with every number sent as a string. */
    STRINGLY(0),
    /** {@code time} in epoch seconds with a fraction, lower-case region, unknown trace id. */
    EPOCH_SECONDS(0),
    /** Legacy aliases and {@code status}, {@code @timestamp} with the region's UTC offset. */
    ISO_OFFSET(3);

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

    private final int aliasIndex;

    Style(int aliasIndex) {
        this.aliasIndex = aliasIndex;
    }

    /** The field name this style uses: {@code names[0]} is canonical, then aliases. */
    String name(String[] names) {
        return names[Math.min(aliasIndex, names.length - 1)];
    }

    /**
     * The event time as this style can carry it exactly: epoch seconds only on a 250 ms grid, whose
     * fractions are exact in binary floating point, so parsing cannot be off by a millisecond. It
     * rounds up where that stays at or before the emission, so rounding never makes a line later.
     */
    long representable(long eventTimeMs, long emitMs) {
        if (this != EPOCH_SECONDS) {
            return eventTimeMs;
        }
        long down = Math.floorDiv(eventTimeMs, 250) * 250;
        long up = down == eventTimeMs ? down : down + 250;
        return up <= emitMs ? up : down;
    }

    void writeTimestamp(JsonLine out, long eventTimeMs, Region region) {
        switch (this) {
            case CANONICAL -> out.name("timestamp").number(eventTimeMs);
            case CAMEL -> out.name("ts").number(eventTimeMs);
            case STRINGLY -> out.name("timestamp").quotedNumber(eventTimeMs);
            case EPOCH_SECONDS -> out.name("time").epochSeconds(eventTimeMs);
            case LEGACY -> out.name("@timestamp").string(iso(eventTimeMs, ZoneOffset.UTC));
            case ISO_OFFSET -> out.name("@timestamp").string(iso(eventTimeMs, offset(region)));
        }
    }

    String region(Region region) {
        return switch (this) {
            case CANONICAL, CAMEL, STRINGLY -> region.name();
            case EPOCH_SECONDS -> region.name().toLowerCase(java.util.Locale.ROOT);
            case LEGACY ->
                    switch (region) {
                        case NA -> "us";
                        case EMEA -> "eu";
                        case APAC -> "ap";
                    };
            case ISO_OFFSET ->
                    switch (region) {
                        case NA -> "AMER";
                        case EMEA -> "Emea";
                        case APAC -> "AP";
                    };
        };
    }

    boolean numbersAsStrings() {
        return this == STRINGLY;
    }

    static String iso(long epochMs, ZoneOffset offset) {
        return ISO_MILLIS.format(Instant.ofEpochMilli(epochMs).atOffset(offset));
    }

    private static ZoneOffset offset(Region region) {
        return switch (region) {
            case NA -> ZoneOffset.ofHours(-5);
            case EMEA -> ZoneOffset.ofHours(1);
            case APAC -> ZoneOffset.ofHoursMinutes(5, 30);
        };
    }
}
