package dev.servicehealth.model;

import java.util.Locale;
import java.util.Optional;

/**
 * The three production regions. Sources spell them in several ways; {@link #parse} accepts those.
 */
public enum Region {
    NA,
    EMEA,
    APAC;

    /** Lenient parse of a region code as gateways, auth nodes and Prometheus labels spell it. */
    public static Optional<Region> parse(String code) {
        if (code == null) {
            return Optional.empty();
        }
        switch (code.trim().toUpperCase(Locale.ROOT)) {
            case "NA":
            case "AMER":
            case "US":
                return Optional.of(NA);
            case "EMEA":
            case "EU":
                return Optional.of(EMEA);
            case "APAC":
            case "AP":
                return Optional.of(APAC);
            default:
                return Optional.empty();
        }
    }
}
