package dev.servicehealth.simulator;

import dev.servicehealth.model.DeadLetterReason;
import dev.servicehealth.model.EventKind;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a correct pipeline must make of the records a run handed out, recorded while they were
 * generated and deliberately independent of any normalizer code. An immutable snapshot.
 *
 * <p>Rules, all decided by construction:
 *
 * <ul>
 *   <li>Every record yields normalized events, or a dead letter, or (a remote-write request with
 *       some series lacking identity) both; so {@code totalRecords() == recordsWithoutDeadLetter()
 *       + recordsDeadLettered()}. {@link #expectedNormalized(EventKind)} and {@link
 *       #expectedDeadLetters()} are what the normalizer must count exactly; retried duplicates are
 *       normalized too (removing them is the dedup job's work).
 *   <li>A logical request is (source, request_id); its first record defines its emission time and
 *       {@link Lateness}. Retries come later with the same fields.
 *   <li>The KPI oracle covers deduplicated logical requests that are not {@link
 *       Lateness#BEYOND_BOUND}, per 1-minute event-time window and service-grain dimensions, with
 *       the contributions of {@code MetricCatalog.COUNTERS} (the single definition of the KPIs, so
 *       the oracle cannot drift from it) and the raw latencies. Beyond-bound requests are counted
 *       per window instead.
 * </ul>
 */
public record GroundTruth(
        GroundTruthDetail detail,
        long totalRecords,
        Map<RawTopic, Long> recordsByTopic,
        long recordsWithoutDeadLetter,
        long recordsDeadLettered,
        Map<EventKind, Long> expectedNormalized,
        Map<DeadLetterReason, Long> expectedDeadLetters,
        long duplicatesGenerated,
        Map<Lateness, Long> latenessCounts,
        Map<Long, Long> beyondBoundByWindow,
        Map<RequestKey, LogicalRequest> distinctRequests,
        Map<OracleKey, WindowKpis> kpiOracle,
        List<ScenarioPhase> phases,
        Set<String> hottestEndpoints) {

    /** Product and service of requests whose path is not in the service catalog. */
    public static final String UNMAPPED_PRODUCT = "unmapped";

    public static final String UNMAPPED_SERVICE = "unmapped";

    /** Expected canonical events of {@code kind}, duplicates included. */
    public long expectedNormalized(EventKind kind) {
        return expectedNormalized.getOrDefault(kind, 0L);
    }

    public long expectedDeadLetterTotal() {
        return expectedDeadLetters.values().stream().mapToLong(Long::longValue).sum();
    }

    public long recordsOn(RawTopic topic) {
        return recordsByTopic.getOrDefault(topic, 0L);
    }

    /**
     * Distinct logical requests in first-emission order.
     *
     * @throws IllegalStateException when the run kept {@link GroundTruthDetail#COUNTS} only
     */
    @Override
    public Map<RequestKey, LogicalRequest> distinctRequests() {
        requireFull("distinctRequests");
        return distinctRequests;
    }

    /**
     * The KPI oracle, keys in the order their first event was emitted.
     *
     * @throws IllegalStateException when the run kept {@link GroundTruthDetail#COUNTS} only
     */
    @Override
    public Map<OracleKey, WindowKpis> kpiOracle() {
        requireFull("kpiOracle");
        return kpiOracle;
    }

    /** The phase called {@code name}, e.g. {@code outage}. */
    public ScenarioPhase phase(String name) {
        return phases.stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(
                        () -> new IllegalArgumentException("no phase " + name + " in " + phases));
    }

    private void requireFull(String what) {
        if (detail != GroundTruthDetail.FULL) {
            throw new IllegalStateException(what + " needs GroundTruthDetail.FULL");
        }
    }
}
