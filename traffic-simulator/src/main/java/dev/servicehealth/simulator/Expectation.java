package dev.servicehealth.simulator;

import dev.servicehealth.model.DeadLetterReason;
import dev.servicehealth.model.EventKind;
import java.util.Objects;
import java.util.Optional;

/**
 * What a correct normalizer makes of one raw record: {@code normalizedCount} canonical events of
 * {@code kind}, and/or exactly one dead letter with {@code deadLetterReason}. A remote-write
 * request whose series partly lack a valid identity has both: its good samples plus one dead
 * letter.
 *
 * @param kind the kind of events the record normalizes into (also set when the count is 0)
 * @param normalizedCount how many canonical events the record yields, {@code >= 0}
 * @param deadLetterReason the reason of the record's dead letter, or {@code null} if none
 */
public record Expectation(EventKind kind, int normalizedCount, DeadLetterReason deadLetterReason) {

    private static final Expectation ONE_REQUEST = new Expectation(EventKind.REQUEST, 1, null);
    private static final Expectation ONE_STATUS = new Expectation(EventKind.STATUS, 1, null);

    public Expectation {
        Objects.requireNonNull(kind, "kind");
        if (normalizedCount < 0) {
            throw new IllegalArgumentException("normalizedCount < 0: " + normalizedCount);
        }
        if (normalizedCount == 0 && deadLetterReason == null) {
            throw new IllegalArgumentException("a record must yield an event or a dead letter");
        }
    }

    static Expectation oneRequest() {
        return ONE_REQUEST;
    }

    static Expectation oneStatus() {
        return ONE_STATUS;
    }

    static Expectation samples(int count) {
        return new Expectation(EventKind.METRIC_SAMPLE, count, null);
    }

    static Expectation deadLetter(EventKind kind, DeadLetterReason reason) {
        return new Expectation(kind, 0, Objects.requireNonNull(reason, "reason"));
    }

    static Expectation samplesAndDeadLetter(int count, DeadLetterReason reason) {
        return new Expectation(
                EventKind.METRIC_SAMPLE, count, Objects.requireNonNull(reason, "reason"));
    }

    public Optional<DeadLetterReason> deadLetter() {
        return Optional.ofNullable(deadLetterReason);
    }

    public boolean isDeadLettered() {
        return deadLetterReason != null;
    }
}
