package dev.servicehealth.bench;

import dev.servicehealth.model.EventCodec;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.simulator.LogicalRequest;
import dev.servicehealth.simulator.Scenario;
import dev.servicehealth.simulator.SimulatorConfig;
import dev.servicehealth.simulator.TrafficSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * Request events with the simulator's skew (Zipf tenants and endpoints, the bad-deploy scenario's
 * hot endpoint), in event-time order, decoded from their wire format as the job reads them, looped:
 * loop k shifts every event time by k times the traffic's span, so windows keep closing as they
 * would in production. Generated once, before anything is measured.
 */
final class SkewedRequests implements GeneratorFunction<Long, RequestEvent> {
    private static final long serialVersionUID = 1L;

    /**
     * The pools of this JVM by id. The MiniCluster runs in the benchmark's JVM, so only the id
     * travels with each job: shipping a million events in the job graph would put their Java
     * serialization into every measured run.
     */
    private static final Map<Integer, byte[][]> POOLS = new ConcurrentHashMap<>();

    private final int poolId;
    private final int size;
    private final long spanMs;

    /** Encoded as on the deduplicated topic: the job decodes every event it reads, so does this. */
    private transient byte[][] pool;

    private SkewedRequests(byte[][] pool, long spanMs) {
        this.poolId = POOLS.size();
        POOLS.put(poolId, pool);
        this.pool = pool;
        this.size = pool.length;
        this.spanMs = spanMs;
    }

    /** {@code minutes} of simulated traffic at {@code perSecond} logical requests. */
    static SkewedRequests generate(int minutes, int perSecond) {
        TrafficSimulator.Generation traffic =
                TrafficSimulator.generate(
                        SimulatorConfig.builder()
                                .seed(42L)
                                .scenario(Scenario.BAD_DEPLOY_HOT_ENDPOINT)
                                .start(Instant.parse("2026-11-22T10:00:00Z"))
                                .duration(Duration.ofMinutes(minutes))
                                .eventsPerSecond(perSecond)
                                .build());
        List<LogicalRequest> requests =
                traffic.groundTruth().distinctRequests().values().stream()
                        .sorted(Comparator.comparingLong(LogicalRequest::eventTimeMs))
                        .toList();
        byte[][] pool = new byte[requests.size()][];
        for (int i = 0; i < pool.length; i++) {
            LogicalRequest request = requests.get(i);
            pool[i] =
                    EventCodec.encode(
                            request.toRequestEvent(
                                    "tk_" + Integer.toHexString(request.tenantId().hashCode()),
                                    request.eventTimeMs()));
        }
        return new SkewedRequests(pool, Duration.ofMinutes(minutes).toMillis());
    }

    int size() {
        return size;
    }

    @Override
    public RequestEvent map(Long index) {
        if (pool == null) {
            pool = POOLS.get(poolId);
        }
        RequestEvent event = EventCodec.decodeRequest(pool[(int) (index % size)]);
        long shift = (index / size) * spanMs;
        return shift == 0 ? event : shifted(event, shift);
    }

    private static RequestEvent shifted(RequestEvent e, long shift) {
        return new RequestEvent(
                e.source(),
                e.requestId(),
                e.tenantToken(),
                e.tenantTier(),
                e.region(),
                e.availabilityZone(),
                e.product(),
                e.service(),
                e.endpoint(),
                e.httpStatus(),
                e.latencyMs(),
                e.bytesOut(),
                e.userAgent(),
                e.eventTimeMs() + shift,
                e.ingestTimeMs() + shift,
                e.authOutcome(),
                e.tokenMintLatencyMs(),
                e.dependency());
    }
}
