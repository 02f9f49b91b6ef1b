package dev.servicehealth.model.catalog;

/**
 * The version a KPI row is upserted with: the generation that computed it in the high bits, the
 * row's own emission count in the low ones. Pinot keeps the row with the highest version, so a row
 * of a newer generation (a backfill after a fix, or the streaming job redeployed with it) wins over
 * every row of an older one, whatever their counts: an older generation cannot overtake, since its
 * count would have to pass 2<sup>47</sup> emissions of one row (at one every 5 seconds, 22 million
 * years). Within a generation versions grow with each emission, as before; generation 0 gives the
 * plain count.
 *
 * <p>A backfilled row takes the highest count of its generation ({@link #backfilled}): the
 * streaming job redeployed with the same generation can never write a version above it, even
 * restored from a checkpoint taken before the backfill, and a rerun of the backfill writes the same
 * version again.
 */
public final class KpiVersion {
    /** Bits of the emission count; the generation takes the 16 above (the sign bit stays 0). */
    public static final int COUNT_BITS = 47;

    /** The highest generation: 2<sup>16</sup> − 1. */
    public static final int MAX_GENERATION = (1 << 16) - 1;

    private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;

    private KpiVersion() {}

    /**
     * @throws IllegalArgumentException when the generation or the count is out of its range
     */
    public static long of(int generation, long count) {
        if (generation < 0 || generation > MAX_GENERATION) {
            throw new IllegalArgumentException(
                    "generation " + generation + " is not within 0.." + MAX_GENERATION);
        }
        // the highest count is the backfill's: no emission reaches it
        if (count < 0 || count >= COUNT_MASK) {
            throw new IllegalArgumentException("emission count " + count + " out of range");
        }
        return version(generation, count);
    }

    /** The version of a row the backfill of {@code generation} computed: the last word in it. */
    public static long backfilled(int generation) {
        if (generation < 0 || generation > MAX_GENERATION) {
            throw new IllegalArgumentException(
                    "generation " + generation + " is not within 0.." + MAX_GENERATION);
        }
        return version(generation, COUNT_MASK);
    }

    private static long version(int generation, long count) {
        return ((long) generation << COUNT_BITS) | count;
    }

    public static int generation(long version) {
        return (int) (version >>> COUNT_BITS);
    }

    /** The row's emissions so far in the generation that wrote {@code version}. */
    public static long count(long version) {
        return version & COUNT_MASK;
    }
}
