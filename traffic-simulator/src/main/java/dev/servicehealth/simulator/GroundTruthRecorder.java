package dev.servicehealth.simulator;

import dev.servicehealth.model.DeadLetterReason;
import dev.servicehealth.model.EventKind;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.catalog.CounterKpi;
import dev.servicehealth.model.catalog.MetricCatalog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Accumulates the {@link GroundTruth} of records as they are handed out. Not thread-safe. */
final class GroundTruthRecorder {
    private static final long WINDOW_MS = 60_000;

    /** Counters do not depend on the token; the oracle keeps tenants in clear anyway. */
    private static final String PLACEHOLDER_TOKEN = "tk_oracle";

    private final GroundTruthDetail detail;
    private final List<ScenarioPhase> phases;
    private final Set<String> hottestEndpoints;
    private long totalRecords;
    private long recordsDeadLettered;
    private long duplicates;
    private final EnumMap<RawTopic, Long> byTopic = new EnumMap<>(RawTopic.class);
    private final EnumMap<EventKind, Long> normalized = new EnumMap<>(EventKind.class);
    private final EnumMap<DeadLetterReason, Long> deadLetters =
            new EnumMap<>(DeadLetterReason.class);
    private final EnumMap<Lateness, Long> lateness = new EnumMap<>(Lateness.class);
    private final TreeMap<Long, Long> beyondBound = new TreeMap<>();
    private final LinkedHashMap<RequestKey, LogicalRequest> distinct = new LinkedHashMap<>();
    private final LinkedHashMap<OracleKey, Accumulator> oracle = new LinkedHashMap<>();

    GroundTruthRecorder(GroundTruthDetail detail, List<ScenarioPhase> phases, Set<String> hottest) {
        this.detail = detail;
        this.phases = List.copyOf(phases);
        this.hottestEndpoints = Set.copyOf(hottest);
    }

    /**
     * @param request the logical request this record is the first emission of, or null
     * @param duplicate true for a retry of an already emitted request
     */
    void record(
            RawTopic topic, Expectation expectation, LogicalRequest request, boolean duplicate) {
        totalRecords++;
        byTopic.merge(topic, 1L, Long::sum);
        if (expectation.normalizedCount() > 0) {
            normalized.merge(expectation.kind(), (long) expectation.normalizedCount(), Long::sum);
        }
        if (expectation.isDeadLettered()) {
            recordsDeadLettered++;
            deadLetters.merge(expectation.deadLetterReason(), 1L, Long::sum);
        }
        if (duplicate) {
            duplicates++;
        }
        if (request != null) {
            first(request);
        }
    }

    private void first(LogicalRequest request) {
        lateness.merge(request.lateness(), 1L, Long::sum);
        long window = Math.floorDiv(request.eventTimeMs(), WINDOW_MS) * WINDOW_MS;
        if (request.lateness() == Lateness.BEYOND_BOUND) {
            beyondBound.merge(window, 1L, Long::sum);
        }
        if (detail != GroundTruthDetail.FULL) {
            return;
        }
        if (distinct.putIfAbsent(request.key(), request) != null) {
            throw new IllegalStateException("request emitted twice as original: " + request.key());
        }
        if (request.lateness() == Lateness.BEYOND_BOUND) {
            return;
        }
        OracleKey key =
                new OracleKey(
                        window,
                        request.region(),
                        request.availabilityZone(),
                        request.product(),
                        request.service(),
                        request.endpoint(),
                        request.tenantTier());
        oracle.computeIfAbsent(key, k -> new Accumulator())
                .add(request.toRequestEvent(PLACEHOLDER_TOKEN, request.emissionTimeMs()));
    }

    GroundTruth snapshot() {
        Map<OracleKey, WindowKpis> kpis = new LinkedHashMap<>();
        oracle.forEach((key, acc) -> kpis.put(key, acc.toKpis()));
        return new GroundTruth(
                detail,
                totalRecords,
                Collections.unmodifiableMap(new EnumMap<>(byTopic)),
                totalRecords - recordsDeadLettered,
                recordsDeadLettered,
                Collections.unmodifiableMap(new EnumMap<>(normalized)),
                Collections.unmodifiableMap(new EnumMap<>(deadLetters)),
                duplicates,
                Collections.unmodifiableMap(new EnumMap<>(lateness)),
                Collections.unmodifiableMap(new TreeMap<>(beyondBound)),
                Collections.unmodifiableMap(new LinkedHashMap<>(distinct)),
                Collections.unmodifiableMap(kpis),
                phases,
                hottestEndpoints);
    }

    /** Catalog counters and raw latencies of one oracle key. */
    private static final class Accumulator {
        private final long[] counters = new long[MetricCatalog.COUNTERS.size()];
        private double[] latencies = new double[8];
        private int latencyCount;
        private double[] mintLatencies = new double[0];
        private int mintCount;

        void add(RequestEvent event) {
            for (int i = 0; i < counters.length; i++) {
                counters[i] += MetricCatalog.COUNTERS.get(i).of(event);
            }
            double latency = MetricCatalog.LATENCY.of(event);
            if (!Double.isNaN(latency)) {
                if (latencyCount == latencies.length) {
                    latencies = Arrays.copyOf(latencies, latencyCount * 2);
                }
                latencies[latencyCount++] = latency;
            }
            double mint = MetricCatalog.TOKEN_MINT_LATENCY.of(event);
            if (!Double.isNaN(mint)) {
                if (mintCount == mintLatencies.length) {
                    mintLatencies = Arrays.copyOf(mintLatencies, Math.max(8, mintCount * 2));
                }
                mintLatencies[mintCount++] = mint;
            }
        }

        WindowKpis toKpis() {
            Map<String, Long> byName = new LinkedHashMap<>();
            for (int i = 0; i < counters.length; i++) {
                CounterKpi kpi = MetricCatalog.COUNTERS.get(i);
                byName.put(kpi.name(), counters[i]);
            }
            return new WindowKpis(
                    byName, sorted(latencies, latencyCount), sorted(mintLatencies, mintCount));
        }

        private static List<Double> sorted(double[] values, int count) {
            double[] copy = Arrays.copyOf(values, count);
            Arrays.sort(copy);
            List<Double> list = new ArrayList<>(count);
            for (double v : copy) {
                list.add(v);
            }
            return list;
        }
    }
}
