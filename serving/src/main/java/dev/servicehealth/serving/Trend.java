package dev.servicehealth.serving;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether the 5xx rate is improving: the least-squares slope of the per-minute rate over all
 * regions (each minute's rate from its summed counters), in percentage points per minute.
 */
record Trend(int minutes, double slopePointsPerMinute, double lastRatePct) {
    /** A slope smaller than this is flat: a hundredth of a point per minute. */
    private static final double FLAT = 0.01;

    static Trend of(QueryResult result) {
        Map<Long, double[]> perMinute = new TreeMap<>();
        for (int i = 0; i < result.rows().size(); i++) {
            double[] sums =
                    perMinute.computeIfAbsent(
                            result.value(i, "window_start").asLong(), k -> new double[2]);
            sums[0] += result.value(i, "server_errors").asDouble();
            sums[1] += result.value(i, "requests").asDouble();
        }
        double n = 0;
        double sumX = 0;
        double sumY = 0;
        double sumXx = 0;
        double sumXy = 0;
        double last = Double.NaN;
        for (Map.Entry<Long, double[]> minute : perMinute.entrySet()) {
            if (minute.getValue()[1] == 0) {
                continue;
            }
            double x = minute.getKey() / 60_000.0;
            double y = 100 * minute.getValue()[0] / minute.getValue()[1];
            n++;
            sumX += x;
            sumY += y;
            sumXx += x * x;
            sumXy += x * y;
            last = y;
        }
        double denominator = n * sumXx - sumX * sumX;
        double slope = n < 2 || denominator == 0 ? 0 : (n * sumXy - sumX * sumY) / denominator;
        return new Trend((int) n, slope, last);
    }

    String describe() {
        if (minutes < 2) {
            return "5xx trend: not enough minutes with requests";
        }
        String verdict =
                Math.abs(slopePointsPerMinute) < FLAT
                        ? "flat"
                        : slopePointsPerMinute < 0 ? "improving" : "getting worse";
        return String.format(
                Locale.ROOT,
                "5xx trend over %d minutes: %+.3f points/min (%s), last minute %.2f%%",
                minutes,
                slopePointsPerMinute,
                verdict,
                lastRatePct);
    }
}
