package dev.servicehealth.model;

/** Why a raw record could not be normalized. Each value is counted as its own metric tag. */
public enum DeadLetterReason {
    EMPTY_RECORD("the record has no value bytes"),
    RECORD_TOO_LARGE("the value exceeds the configured maximum record size"),
    MALFORMED_JSON("the value is not well-formed JSON (truncated, bad escapes, binary)"),
    NOT_A_JSON_OBJECT("the value is JSON but not an object"),
    MISSING_REQUIRED_FIELD("a field the event kind needs is absent or null"),
    INVALID_FIELD_VALUE("a field has a type or value that cannot be coerced safely"),
    EVENT_TIME_IN_FUTURE(
            "the event time is further ahead of the ingest clock than the allowed skew; it would"
                    + " drag watermarks forward and make every other event late"),
    UNSUPPORTED_EVENT_TYPE("the status or auth event type is not one the catalog knows"),
    REMOTE_WRITE_UNDECODABLE("the remote-write body is not snappy-compressed protobuf"),
    SERIES_MISSING_IDENTITY("remote-write series without a valid region or service label"),
    NORMALIZER_ERROR("an unexpected error while normalizing: a bug to fix; the record is kept");

    private final String description;

    DeadLetterReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The tag value used in metrics and on dead-letter records. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
