package dev.servicehealth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.aggregator.kpi.KpiKey;
import dev.servicehealth.aggregator.kpi.KpiRow;
import dev.servicehealth.model.catalog.Grain;
import dev.servicehealth.model.catalog.MetricCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The drill-down bench's rows are what it says: the given number of distinct drill-down rows per
 * minute, skewed, and an oracle that agrees with the rows it wrote.
 */
class DrilldownRowsTest {
    private static final long LAST_MINUTE = 1_795_341_600_000L;

    @Test
    void writesDistinctSkewedRowsPerMinuteAndRemembersTheRecentRequests() {
        DrilldownRows generator = new DrilldownRows(500, 10, 300, 20, LAST_MINUTE, 15, 1L);
        List<KpiRow> rows = new ArrayList<>();

        long count = generator.write(rows::add);

        assertThat(count).isEqualTo(20 * 300).isEqualTo(rows.size());
        assertThat(new HashSet<>(rows.stream().map(KpiRow::key).toList())).hasSize(rows.size());
        assertThat(rows)
                .allSatisfy(row -> assertThat(row.key().grain()).isEqualTo(Grain.DRILLDOWN));
        assertThat(rows.get(0).key().windowStartMs()).isEqualTo(LAST_MINUTE - 19 * 60_000L);

        long recentFrom = LAST_MINUTE - 14 * 60_000L;
        int requests = MetricCatalog.COUNTERS.indexOf(MetricCatalog.REQUESTS);
        Map<DrilldownRows.Pair, Long> expected = new HashMap<>();
        for (KpiRow row : rows) {
            if (row.key().windowStartMs() >= recentFrom) {
                expected.merge(pair(row.key()), row.counters()[requests], Long::sum);
            }
        }
        assertThat(generator.recentRequests()).isEqualTo(expected);

        List<DrilldownRows.Pair> byRows = generator.recentPairsByRows();
        assertThat(byRows).hasSameSizeAs(expected.keySet());
        long busiest = expected.get(byRows.get(0));
        long median = expected.get(byRows.get(byRows.size() / 2));
        assertThat(busiest)
                .as("skewed: the busiest pair dwarfs the median")
                .isGreaterThan(20 * median);
    }

    private static DrilldownRows.Pair pair(KpiKey key) {
        String[] dimensions = key.dimensions().split(String.valueOf(KpiKey.SEPARATOR));
        return new DrilldownRows.Pair(dimensions[0], dimensions[1]);
    }
}
