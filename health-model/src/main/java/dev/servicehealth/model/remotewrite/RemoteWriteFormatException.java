package dev.servicehealth.model.remotewrite;

/**
 * A remote-write body that can never be decoded, whatever the number of retries. The {@link Reason}
 * is stable and meant for metric tags and dead-letter records; the detail is for humans.
 */
public final class RemoteWriteFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a body was rejected. */
    public enum Reason {
        NOT_SNAPPY("the body is not one complete, valid snappy block"),
        UNCOMPRESSED_TOO_LARGE("the snappy header declares more bytes than the configured limit"),
        NOT_PROTOBUF("the uncompressed bytes are not a remote-write 1.0 WriteRequest"),
        INVALID_LABEL("a label has an empty name"),
        DUPLICATE_LABEL("a series carries the same label name twice"),
        MISSING_METRIC_NAME("a series has no __name__ label"),
        NATIVE_HISTOGRAM_UNSUPPORTED("a series carries native histograms, which are not ingested");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final Reason reason;
    private final String detail;

    public RemoteWriteFormatException(Reason reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
        this.detail = detail;
    }

    public Reason reason() {
        return reason;
    }

    public String detail() {
        return detail;
    }
}
