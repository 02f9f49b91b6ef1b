package dev.servicehealth.simulator;

import java.util.SplittableRandom;

/**
 * The simulator's only source of randomness. Same seed, same sequence on every JVM: {@link
 * SplittableRandom}'s algorithm is specified, and the transcendental functions come from {@link
 * StrictMath}, whose results (unlike {@link Math}'s intrinsics) are bit-identical everywhere.
 */
final class Dice {
    private final SplittableRandom random;

    Dice(long seed) {
        this(new SplittableRandom(seed));
    }

    private Dice(SplittableRandom random) {
        this.random = random;
    }

    /** An independent stream, so one concern's draws do not shift another's. */
    Dice split() {
        return new Dice(random.split());
    }

    double uniform() {
        return random.nextDouble();
    }

    /** True with probability {@code p}; draws nothing when {@code p <= 0}. */
    boolean chance(double p) {
        return p > 0 && random.nextDouble() < p;
    }

    int index(int bound) {
        return random.nextInt(bound);
    }

    /** Uniform in {@code [low, high]}. */
    long between(long low, long high) {
        return low + random.nextLong(high - low + 1);
    }

    long nextLong() {
        return random.nextLong();
    }

    /** Box-Muller; one value per call keeps the stream easy to reason about. */
    double gaussian() {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }

    /** Log-normal with the given median: right-skewed like real latencies and sizes. */
    double logNormal(double median, double sigma) {
        return median * StrictMath.exp(sigma * gaussian());
    }

    double exponential(double mean) {
        return -mean * StrictMath.log(1.0 - random.nextDouble());
    }

    /** Lower-case hex of {@code digits} random nibbles. */
    String hex(int digits) {
        char[] out = new char[digits];
        long bits = 0;
        for (int i = 0; i < digits; i++) {
            if (i % 16 == 0) {
                bits = random.nextLong();
            }
            out[i] = Character.forDigit((int) (bits & 0xF), 16);
            bits >>>= 4;
        }
        return new String(out);
    }
}
