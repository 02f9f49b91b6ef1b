package dev.servicehealth.simulator;

import java.util.Locale;

/**
 * The kinds of dirty data the simulator mixes in, each with its default rate. Unless said otherwise
 * a rate is the probability per generated line (gateway, auth or status) or per remote-write
 * request; the {@code *_RATE}-less exceptions say their unit.
 */
public enum Dirt {
    DUPLICATE("duplicate", 0.01, 1, "share of valid request lines sent again by a retry"),
    LATE_FLUSH(
            "late-flush",
            6,
            600,
            "stalled region/AZ log forwarders per simulated hour; each holds 1-8 min of lines"),
    BEYOND_BOUND("beyond-bound", 0.002, 1, "share of requests delivered 13-30 minutes late"),
    MALFORMED("malformed", 0.0005, 0.2, "truncated lines, binary garbage, bad escapes"),
    MALFORMED_BURST(
            "malformed-burst",
            0.05,
            0.5,
            "extra malformed share of the failing region's or endpoint's lines during an incident"),
    NOT_OBJECT("not-object", 0.0005, 0.2, "JSON arrays, strings or numbers instead of an object"),
    EMPTY("empty", 0.0005, 0.2, "records with no value bytes"),
    MISSING_FIELD("missing-field", 0.001, 0.2, "a required field absent or null"),
    INVALID_VALUE("invalid-value", 0.001, 0.2, "a value that cannot be coerced, e.g. \"abc\""),
    DRIFT("drift", 0.05, 1, "valid lines using field aliases, numeric strings, other timestamps"),
    UNKNOWN_STATUS_TYPE("unknown-status-type", 0.1, 1, "share of status events of an unknown type"),
    UNDECODABLE_REMOTE_WRITE(
            "undecodable-remote-write",
            0.01,
            1,
            "extra remote-write bodies that are not snappy-compressed protobuf, per request"),
    SERIES_MISSING_REGION(
            "series-missing-region",
            0.02,
            1,
            "share of remote-write requests carrying series without a region label"),
    UNKNOWN_TENANT("unknown-tenant", 0.001, 1, "requests of tenants missing from the directory"),
    UNMAPPED_ENDPOINT(
            "unmapped-endpoint", 0.001, 1, "requests to paths missing from the service catalog");

    private final String cliName;
    private final double defaultRate;
    private final double max;
    private final String description;

    Dirt(String cliName, double defaultRate, double max, String description) {
        this.cliName = cliName;
        this.defaultRate = defaultRate;
        this.max = max;
        this.description = description;
    }

    public String cliName() {
        return cliName;
    }

    public double defaultRate() {
        return defaultRate;
    }

    /** The largest accepted rate. */
    public double max() {
        return max;
    }

    public String description() {
        return description;
    }

    /** Accepts the CLI name ({@code late-flush}) or the constant name, in any case. */
    public static Dirt parse(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Dirt dirt : values()) {
            if (dirt.cliName.equals(wanted)) {
                return dirt;
            }
        }
        throw new IllegalArgumentException("unknown dirt kind '" + text + "'");
    }
}
