package dev.servicehealth.ingest.parse;

import java.util.Locale;

/** What changed in a source's lines, as the schema-drift report names it. */
public enum DriftKind {
    /** A field the data model does not know: its name. */
    NEW_FIELD,
    /** A known field under one of its aliases: {@code alias → canonical name}. */
    RENAMED_FIELD,
    /** A known field whose value had to be converted: {@code field: string for int}. */
    TYPE_CHANGED,
    /** A path outside the service catalog: the endpoint derived from it. */
    UNMAPPED_ENDPOINT;

    /** The name in the drift report and in Pinot: {@code new_field}, … */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
