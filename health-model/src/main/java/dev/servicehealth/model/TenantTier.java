package dev.servicehealth.model;

import java.util.Locale;
import java.util.Optional;

/**
 * Commercial tier of a tenant; drives SLO targets. UNKNOWN marks a tenant missing from the
 * directory.
 */
public enum TenantTier {
    PREMIUM,
    STANDARD,
    FREE,
    UNKNOWN;

    public static Optional<TenantTier> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
