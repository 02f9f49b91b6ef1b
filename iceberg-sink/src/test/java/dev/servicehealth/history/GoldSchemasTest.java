package dev.servicehealth.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servicehealth.aggregator.SampleKpiRows;
import dev.servicehealth.aggregator.kafka.KpiRowJson;
import dev.servicehealth.model.catalog.CounterKpi;
import dev.servicehealth.model.catalog.DistributionKpi;
import dev.servicehealth.model.catalog.Grain;
import dev.servicehealth.model.catalog.MetricCatalog;
import dev.servicehealth.model.catalog.SaturationKpi;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The gold schemas agree with the metric catalog and with the rows the aggregator writes: every
 * field of a final row has its column, every column is written, and every catalog KPI of the grain
 * has its columns with the type history reads it as.
 */
class GoldSchemasTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @EnumSource(Grain.class)
    void theTableHasExactlyTheFieldsOfAFinalRow(Grain grain) throws Exception {
        JsonNode row = JSON.readTree(KpiRowJson.row(SampleKpiRows.of(grain)));
        List<String> written = new ArrayList<>();
        row.fieldNames().forEachRemaining(written::add);
        // the grain is the table
        written.remove("grain");

        assertThat(GoldSchemas.kpiRows(grain).columns().stream().map(Types.NestedField::name))
                .containsExactlyElementsOf(written);
    }

    @ParameterizedTest
    @EnumSource(Grain.class)
    void everyCatalogKpiOfTheGrainHasItsColumn(Grain grain) {
        org.apache.iceberg.Schema schema = GoldSchemas.kpiRows(grain);
        if (grain == Grain.SATURATION) {
            for (SaturationKpi signal : MetricCatalog.SATURATION) {
                for (String aggregate : signal.aggregates()) {
                    assertColumn(schema, signal.column(aggregate), Types.DoubleType.get());
                }
            }
            return;
        }
        for (CounterKpi counter : MetricCatalog.COUNTERS) {
            assertColumn(schema, counter.name(), Types.LongType.get());
        }
        for (DistributionKpi distribution : MetricCatalog.DISTRIBUTIONS) {
            assertColumn(schema, distribution.sketchColumn(), Types.BinaryType.get());
            for (double q : distribution.quantiles()) {
                assertColumn(schema, distribution.percentileColumn(q), Types.DoubleType.get());
            }
        }
    }

    private static void assertColumn(org.apache.iceberg.Schema schema, String name, Type type) {
        assertThat(schema.findField(name)).as(name).isNotNull();
        assertThat(schema.findField(name).type()).as(name).isEqualTo(type);
    }
}
