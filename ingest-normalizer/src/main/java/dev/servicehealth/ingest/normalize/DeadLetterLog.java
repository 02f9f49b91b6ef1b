package dev.servicehealth.ingest.normalize;

import dev.servicehealth.model.DeadLetter;
import dev.servicehealth.model.DeadLetterReason;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs dead letters with their context without flooding the log during a malformed burst: the first
 * of each reason right away, then at most one line per reason per interval with the number
 * suppressed in between. The metric counts every one.
 */
final class DeadLetterLog {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterLog.class);
    private static final long INTERVAL_MS = 10_000;

    private final Map<DeadLetterReason, Long> lastLoggedAt = new EnumMap<>(DeadLetterReason.class);
    private final Map<DeadLetterReason, Long> suppressed = new EnumMap<>(DeadLetterReason.class);

    void log(DeadLetter letter, long nowMs) {
        Long last = lastLoggedAt.get(letter.reason());
        if (last != null && nowMs - last < INTERVAL_MS) {
            suppressed.merge(letter.reason(), 1L, Long::sum);
            return;
        }
        long skipped = suppressed.getOrDefault(letter.reason(), 0L);
        suppressed.put(letter.reason(), 0L);
        lastLoggedAt.put(letter.reason(), nowMs);
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
