package dev.servicehealth.ingest.normalize;

import java.util.Locale;

/** The four raw inputs. Each raw topic is configured as one of these. */
public enum SourceKind {
    GATEWAY,
    AUTH,
    METRICS,
    STATUS;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
