package dev.servicehealth.dedup;

import dev.servicehealth.model.EventKind;
import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.MurmurHash3;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * What makes two normalized records the same event, in 16 bytes: a 128-bit MurmurHash3 of the
 * event's kind and its Kafka key ({@code SOURCE:request_id}, {@code series@timestamp} or the status
 * event id). The key of the dedup state, so its size is paid once per live event.
 *
 * <p>Two different events collide with probability about n²/2¹²⁹ for n live keys: with 2.7 × 10⁹
 * keys (30 minutes at 1.5 M events/s) that is 10⁻²⁰, so a wrongly dropped event is not a risk worth
 * a longer key (docs/decisions/0005-dedup-state.md).
 */
@TypeInfo(EventIdentityTypeInfoFactory.class)
public final class EventIdentity {
    private final long high;
    private final long low;

    public EventIdentity(long high, long low) {
        this.high = high;
        this.low = low;
    }

    /** The identity of the event of {@code kind} whose Kafka key is {@code key}. */
    public static EventIdentity of(EventKind kind, byte[] key) {
        long[] hash = MurmurHash3.hash128x64(key, 0, key.length, seed(kind));
        return new EventIdentity(hash[0], hash[1]);
    }

    /**
     * One seed per kind, so equal keys of different kinds are different events. Fixed numbers, not
     * ordinals: a reordered enum must not change the identities kept in a checkpoint.
     */
    private static int seed(EventKind kind) {
        return switch (kind) {
            case REQUEST -> 0x5245_5131;
            case METRIC_SAMPLE -> 0x4d45_5431;
            case STATUS -> 0x5354_5431;
        };
    }

    /** The identity of {@code key} as text, for tests and logs. */
    public static EventIdentity of(EventKind kind, String key) {
        return of(kind, key.getBytes(StandardCharsets.UTF_8));
    }

    public long high() {
        return high;
    }

    public long low() {
        return low;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventIdentity other && other.high == high && other.low == low;
    }

    /** Flink spreads keys over key groups by this hash: the high bits are already uniform. */
    @Override
    public int hashCode() {
        return (int) (high ^ (high >>> 32));
    }

    @Override
    public String toString() {
        return String.format("%016x%016x", high, low);
    }
}
