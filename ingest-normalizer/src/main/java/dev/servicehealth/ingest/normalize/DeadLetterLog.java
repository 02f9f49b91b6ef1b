package dev.servicehealth.ingest.normalize;

import dev.servicehealth.model.DeadLetter;
import dev.servicehealth.model.DeadLetterReason;
import dev.servicehealth.runtime.ThrottledLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs dead letters with their context without flooding the log during a malformed burst: the first
 * of each reason right away, then at most one line per reason per interval with the number
 * suppressed in between. The metric counts every one.
 */
final class DeadLetterLog {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterLog.class);

    private final ThrottledLog<DeadLetterReason> throttle =
            new ThrottledLog<>(ThrottledLog.DEFAULT_INTERVAL_MS);

    void log(DeadLetter letter, long nowMs) {
        long skipped = throttle.admit(letter.reason(), nowMs);
        if (skipped < 0) {
            return;
        }
        LOG.warn(
                "dead letter {} from {}-{}@{}: {} ({} more of this reason since the last line)",
                letter.reason().code(),
                letter.sourceTopic(),
                letter.sourcePartition(),
                letter.sourceOffset(),
                letter.detail(),
                skipped);
    }
}
