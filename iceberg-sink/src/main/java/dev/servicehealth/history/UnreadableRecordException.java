package dev.servicehealth.history;

/** A record whose bytes do not make a row of its table; the message says why. */
final class UnreadableRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    UnreadableRecordException(String why) {
        super(why);
    }

    UnreadableRecordException(String why, Throwable cause) {
        super(why, cause);
    }
}
