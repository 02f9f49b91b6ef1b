package dev.servicehealth.ingest.parse;

/** What changed in a source's lines, as the schema-drift report names it. */
public enum DriftKind {
    /** A field the data model does not know: its name. */
    NEW_FIELD("new_field"),
    /** A known field under one of its aliases: {@code alias → canonical name}. */
    RENAMED_FIELD("renamed_field"),
    /** A known field whose value had to be converted: {@code field: string for int}. */
    TYPE_CHANGED("type_changed"),
    /** A path outside the service catalog: the endpoint derived from it. */
    UNMAPPED_ENDPOINT("unmapped_endpoint");

    private final String tag;

    DriftKind(String tag) {
        this.tag = tag;
    }

    /** The name in the drift report and in Pinot. */
    public String tag() {
        return tag;
    }
}
