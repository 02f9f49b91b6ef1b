package dev.servicehealth.bench;

import dev.servicehealth.dedup.EventIdentity;
import dev.servicehealth.dedup.NormalizedEvent;
import dev.servicehealth.model.AuthOutcome;
import dev.servicehealth.model.EventCodec;
import dev.servicehealth.model.EventKind;
import dev.servicehealth.model.Region;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.RequestSource;
import dev.servicehealth.model.TenantTier;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * Normalized request records as the dedup job reads them, with retries: {@code retryPercent} of the
 * records repeat an earlier request, half of them 10,000 records later (a client retry within the
 * second) and half 1,000,000 records later (a log shipper redelivering minutes later), so lookups
 * hit both fresh and old state. Record {@code i} is the same in every run.
 */
final class RetriedRequests implements GeneratorFunction<Long, NormalizedEvent> {
    private static final long serialVersionUID = 1L;
    private static final long SHORT_RETRY = 10_000;
    private static final long LONG_RETRY = 1_000_000;
    private static final int VALUES = 512;

    private final int retryPercent;
    private final boolean hashIdentity;
    private final long markAt;
    private final long last;
    private final byte[][] values;

    /**
     * @param hashIdentity compute the 128-bit identity as the real job's deserializer does; off for
     *     the naive form, which keys by the request id text
     * @param markAt the record index at which {@link PhaseMark} is taken
     * @param total the records generated; the state size is sampled at the last
     */
    RetriedRequests(int retryPercent, boolean hashIdentity, long markAt, long total) {
        this.retryPercent = retryPercent;
        this.hashIdentity = hashIdentity;
        this.markAt = markAt;
        this.last = total - 1;
        this.values = encodedValues();
    }

    @Override
    public NormalizedEvent map(Long index) {
        if (index == markAt) {
            PhaseMark.mark();
        }
        if (index == last) {
            PhaseMark.sampleState();
        }
        long id = requestOf(index, retryPercent);
        byte[] key = ("GATEWAY:" + requestId(id)).getBytes(StandardCharsets.UTF_8);
        byte[] value = values[(int) (id % VALUES)];
        EventIdentity identity = hashIdentity ? EventIdentity.of(EventKind.REQUEST, key) : null;
        return new NormalizedEvent(EventKind.REQUEST, identity, key, value, 0L, 0L);
    }

    /** The number of distinct requests among records {@code [0, events)}. */
    static long distinctRequests(long events, int retryPercent) {
        long distinct = 0;
        for (long i = 0; i < events; i++) {
            if (!isRetry(i, retryPercent)) {
                distinct++;
            }
        }
        return distinct;
    }

    private static long requestOf(long index, int retryPercent) {
        long i = index;
        while (isRetry(i, retryPercent)) {
            i -= distance(i);
        }
        return i;
    }

    private static boolean isRetry(long i, int retryPercent) {
        return i % 100 < retryPercent && i >= distance(i);
    }

    private static long distance(long i) {
        return (i / 100) % 2 == 0 ? SHORT_RETRY : LONG_RETRY;
    }

    /** A UUID-shaped request id, as gateways write them. */
    private static String requestId(long id) {
        SplittableRandom random = new SplittableRandom(id);
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    /** Encoded request events of realistic size (about 200 bytes), reused by request number. */
    private static byte[][] encodedValues() {
        SplittableRandom random = new SplittableRandom(42);
        byte[][] values = new byte[VALUES][];
        for (int i = 0; i < VALUES; i++) {
            RequestEvent event =
                    new RequestEvent(
                            RequestSource.GATEWAY,
                            new UUID(random.nextLong(), random.nextLong()).toString(),
                            "tk_" + Long.toHexString(random.nextLong()),
                            TenantTier.values()[random.nextInt(4)],
                            Region.values()[random.nextInt(Region.values().length)],
                            "az-" + random.nextInt(3),
                            "Platform",
                            "data",
                            "/services/data/v60/query",
                            random.nextInt(10) == 0 ? 503 : 200,
                            random.nextDouble(5, 900),
                            random.nextLong(100, 40_000),
                            "Apache-HttpClient/4.5.14 (Java/17.0.9)",
                            1_795_341_600_000L + i,
                            1_795_341_601_000L + i,
                            i % 7 == 0 ? AuthOutcome.SUCCESS : null,
                            Double.NaN,
                            "");
            values[i] = EventCodec.encode(event);
        }
        return values;
    }
}
