package dev.servicehealth.simulator;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** An immutable, validated rate for every {@link Dirt} kind. */
public final class DirtRates {

    /**
     * The dead-letter kinds of one line may not together claim more than this share, so that a
     * burst still leaves traffic to measure.
     */
    private static final double MAX_DEAD_LETTER_SHARE = 0.9;

    private final EnumMap<Dirt, Double> rates;

    private DirtRates(EnumMap<Dirt, Double> rates) {
        for (Map.Entry<Dirt, Double> entry : rates.entrySet()) {
            double rate = entry.getValue();
            Dirt dirt = entry.getKey();
            if (!(rate >= 0 && rate <= dirt.max())) {
                throw new IllegalArgumentException(
                        "dirt."
                                + dirt.cliName()
                                + ": "
                                + rate
                                + " is outside [0, "
                                + dirt.max()
                                + "]");
            }
        }
        double deadLetterShare =
                rates.get(Dirt.MALFORMED)
                        + rates.get(Dirt.MALFORMED_BURST)
                        + rates.get(Dirt.NOT_OBJECT)
                        + rates.get(Dirt.EMPTY)
                        + rates.get(Dirt.MISSING_FIELD)
                        + rates.get(Dirt.INVALID_VALUE);
        if (deadLetterShare > MAX_DEAD_LETTER_SHARE) {
            throw new IllegalArgumentException(
                    "dirt: malformed + malformed-burst + not-object + empty + missing-field +"
                            + " invalid-value = "
                            + deadLetterShare
                            + " exceeds "
                            + MAX_DEAD_LETTER_SHARE);
        }
        this.rates = rates;
    }

    /** Every kind at its {@link Dirt#defaultRate() default}. */
    public static DirtRates defaults() {
        EnumMap<Dirt, Double> rates = new EnumMap<>(Dirt.class);
        for (Dirt dirt : Dirt.values()) {
            rates.put(dirt, dirt.defaultRate());
        }
        return new DirtRates(rates);
    }

    /** Clean traffic: every kind at 0. */
    public static DirtRates none() {
        EnumMap<Dirt, Double> rates = new EnumMap<>(Dirt.class);
        for (Dirt dirt : Dirt.values()) {
            rates.put(dirt, 0.0);
        }
        return new DirtRates(rates);
    }

    public DirtRates with(Dirt dirt, double rate) {
        EnumMap<Dirt, Double> changed = new EnumMap<>(rates);
        changed.put(dirt, rate);
        return new DirtRates(changed);
    }

    public double rate(Dirt dirt) {
        return rates.get(dirt);
    }

    public Map<Dirt, Double> asMap() {
        return Collections.unmodifiableMap(rates);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DirtRates that && rates.equals(that.rates);
    }

    @Override
    public int hashCode() {
        return rates.hashCode();
    }

    @Override
    public String toString() {
        return "DirtRates" + rates;
    }
}
