package dev.servicehealth.ingest.normalize;

import java.util.Locale;

/** The kinds of canonical events, one normalized topic each. */
public enum OutputKind {
    REQUEST,
    METRIC_SAMPLE,
    STATUS;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
