package dev.servicehealth.model;

import java.util.Locale;
import java.util.Optional;

/** Kinds of status signals used to annotate dashboards and explain changes. */
public enum StatusKind {
    DEPLOY,
    FEATURE_FLAG,
    INCIDENT;

    public static Optional<StatusKind> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "deploy":
            case "deployment":
                return Optional.of(DEPLOY);
            case "feature_flag":
            case "flag":
                return Optional.of(FEATURE_FLAG);
            case "incident":
                return Optional.of(INCIDENT);
            default:
                return Optional.empty();
        }
    }
}
