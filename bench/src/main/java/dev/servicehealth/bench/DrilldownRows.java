package dev.servicehealth.bench;

import dev.servicehealth.aggregator.kpi.Firing;
import dev.servicehealth.aggregator.kpi.KpiAggregate;
import dev.servicehealth.aggregator.kpi.KpiKey;
import dev.servicehealth.aggregator.kpi.KpiRow;
import dev.servicehealth.model.Region;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.RequestSource;
import dev.servicehealth.model.TenantTier;
import dev.servicehealth.model.catalog.Grain;
import dev.servicehealth.model.privacy.TenantTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Drill-down rows as the aggregator writes them, minute after minute, from skewed traffic: each
 * minute draws requests until it has {@code rowsPerMinute} distinct tenant × endpoint × region
 * rows, tenants and endpoints Zipf-distributed (a few huge tenants and very hot endpoints, many
 * small ones), so hot rows hold many events and big sketches and most rows hold a few. Remembers,
 * for the last {@code recentMinutes}, how many requests each tenant × endpoint had: the queries'
 * oracle.
 */
final class DrilldownRows {
    /** One tenant × endpoint pair a drill-down asks for. */
    record Pair(String tenantToken, String endpoint) {}

    private static final String[] PRODUCTS = {"core", "data", "identity", "files"};

    private final int rowsPerMinute;
    private final int minutes;
    private final long firstMinuteMs;
    private final int recentMinutes;
    private final SplittableRandom random;
    private final String[] tokens;
    private final TenantTier[] tiers;
    private final Region[] homes;
    private final double[] tenantCdf;
    private final double[] endpointCdf;
    private final Map<Pair, Long> recentRequests = new HashMap<>();
    private final Map<Pair, Long> recentRows = new HashMap<>();

    DrilldownRows(
            int tenants,
            int endpoints,
            int rowsPerMinute,
            int minutes,
            long lastMinuteMs,
            int recentMinutes,
            long seed) {
        this.rowsPerMinute = rowsPerMinute;
        this.minutes = minutes;
        this.firstMinuteMs = lastMinuteMs - (minutes - 1) * 60_000L;
        this.recentMinutes = recentMinutes;
        this.random = new SplittableRandom(seed);
        byte[] key = new byte[32];
        random.nextBytes(key);
        TenantTokenizer tokenizer = new TenantTokenizer(key);
        tokens = new String[tenants];
        tiers = new TenantTier[tenants];
        homes = new Region[tenants];
        for (int t = 0; t < tenants; t++) {
            tokens[t] = tokenizer.token("tenant-" + t);
            // the biggest tenants are the premium ones
            tiers[t] =
                    t < tenants / 50
                            ? TenantTier.PREMIUM
                            : t < tenants / 5 ? TenantTier.STANDARD : TenantTier.FREE;
            homes[t] = Region.values()[random.nextInt(Region.values().length)];
        }
        tenantCdf = zipf(tenants, 1.1);
        endpointCdf = zipf(endpoints, 1.2);
    }

    /** Passes every row to {@code sink}, minute by minute; returns the number of rows. */
    long write(Consumer<KpiRow> sink) {
        long rows = 0;
        for (int m = 0; m < minutes; m++) {
            long minuteMs = firstMinuteMs + m * 60_000L;
            boolean recent = m >= minutes - recentMinutes;
            Map<KpiKey, KpiAggregate> minute = new LinkedHashMap<>();
            Map<KpiKey, Pair> pairs = new HashMap<>();
            while (minute.size() < rowsPerMinute) {
                int tenant = draw(tenantCdf);
                int endpoint = draw(endpointCdf);
                // a tenant calls from its home region, sometimes from another
                Region region =
                        random.nextInt(10) == 0
                                ? Region.values()[random.nextInt(Region.values().length)]
                                : homes[tenant];
                RequestEvent event = event(minuteMs, tenant, endpoint, region);
                KpiKey key = KpiKey.of(Grain.DRILLDOWN, event);
                minute.computeIfAbsent(key, k -> KpiAggregate.empty(Grain.DRILLDOWN)).add(event);
                if (recent) {
                    Pair pair = new Pair(event.tenantToken(), event.endpoint());
                    pairs.putIfAbsent(key, pair);
                    recentRequests.merge(pair, 1L, Long::sum);
                }
            }
            for (Map.Entry<KpiKey, KpiAggregate> row : minute.entrySet()) {
                KpiAggregate aggregate = row.getValue();
                sink.accept(
                        new KpiRow(
                                row.getKey(),
                                1,
                                0,
                                Firing.FINAL,
                                aggregate.counters(),
                                aggregate.tdigestBytes(),
                                aggregate.percentiles(),
                                aggregate.gauges(),
                                aggregate.events(),
                                aggregate.newestEventTimeMs(),
                                minuteMs + 60_000L));
                if (recent) {
                    recentRows.merge(pairs.get(row.getKey()), 1L, Long::sum);
                }
                rows++;
            }
        }
        return rows;
    }

    /** Requests of each tenant × endpoint in the last {@code recentMinutes}, all regions. */
    Map<Pair, Long> recentRequests() {
        return recentRequests;
    }

    /** The pairs of the last {@code recentMinutes}, the ones with the most rows first. */
    List<Pair> recentPairsByRows() {
        List<Pair> pairs = new ArrayList<>(recentRows.keySet());
        pairs.sort(
                Comparator.comparing((Pair pair) -> recentRows.get(pair))
                        .reversed()
                        .thenComparing(Pair::toString));
        return pairs;
    }

    private RequestEvent event(long minuteMs, int tenant, int endpoint, Region region) {
        long at = minuteMs + random.nextInt(60_000);
        int status = random.nextInt(1000) < 6 ? 503 : random.nextInt(100) < 3 ? 404 : 200;
        // log-normal around 80 ms, a slow tail
        double latency = Math.exp(Math.log(80) + 0.6 * gaussian());
        return new RequestEvent(
                RequestSource.GATEWAY,
                "r",
                tokens[tenant],
                tiers[tenant],
                region,
                "",
                PRODUCTS[endpoint % PRODUCTS.length],
                PRODUCTS[endpoint % PRODUCTS.length] + "-api",
                "/services/" + PRODUCTS[endpoint % PRODUCTS.length] + "/v60/op" + endpoint,
                status,
                latency,
                2_000,
                "bench",
                at,
                at,
                null,
                Double.NaN,
                null);
    }

    private double gaussian() {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private int draw(double[] cdf) {
        int index = Arrays.binarySearch(cdf, random.nextDouble());
        return Math.min(cdf.length - 1, index >= 0 ? index : -index - 1);
    }

    private static double[] zipf(int n, double exponent) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1 / Math.pow(i + 1, exponent);
            cdf[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= sum;
        }
        return cdf;
    }
}
