package dev.servicehealth.simulator;

import java.util.List;

/** Picks an element with probability proportional to its weight (binary search over the CDF). */
final class WeightedChoice<T> {
    private final List<T> items;
    private final double[] cumulative;

    WeightedChoice(List<T> items, double[] weights) {
        if (items.isEmpty() || items.size() != weights.length) {
            throw new IllegalArgumentException("need one weight per item, and at least one item");
        }
        this.items = List.copyOf(items);
        this.cumulative = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            cumulative[i] = sum;
        }
        for (int i = 0; i < cumulative.length; i++) {
            cumulative[i] /= sum;
        }
    }

    /** Zipf weights {@code 1 / rank^exponent} in list order: the first item is the hottest. */
    static <T> WeightedChoice<T> zipf(List<T> ranked, double exponent) {
        double[] weights = new double[ranked.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 1.0 / StrictMath.pow(i + 1, exponent);
        }
        return new WeightedChoice<>(ranked, weights);
    }

    T pick(Dice dice) {
        double u = dice.uniform();
        int low = 0;
        int high = cumulative.length - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (cumulative[mid] > u) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return items.get(low);
    }

    /** The probability of the item at {@code index}. */
    double share(int index) {
        return cumulative[index] - (index == 0 ? 0 : cumulative[index - 1]);
    }

    List<T> items() {
        return items;
    }
}
