package dev.servicehealth.ingest.parse;

import dev.servicehealth.model.DeadLetterReason;

/**
 * A raw record that cannot be normalized, with the reason and a detail for the dead letter. Thrown
 * on the hot path for bad input only, so it carries no stack trace.
 */
public final class RejectedRecord extends Exception {
    private static final long serialVersionUID = 1L;

    private final DeadLetterReason reason;

    public RejectedRecord(DeadLetterReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }

    public String detail() {
        return getMessage();
    }
}
