package dev.servicehealth.serving;

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
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Pinot manifests in deploy/pinot agree with the metric catalog and with the rows the
 * aggregator writes: every column of a row is in the schema with a type that reads it, every schema
 * column is written, every catalog KPI of the grain has its columns, the primary key is the grain's
 * upsert key, and the table upserts by version from the grain's topic, read_committed.
 */
class KpiTableCatalogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @EnumSource(KpiTable.class)
    void theSchemaHasExactlyTheColumnsOfARowWithTypesThatReadThem(KpiTable table) throws Exception {
        Map<String, String> schema = columnTypes(table.schema());
        JsonNode row = JSON.readTree(KpiRowJson.row(SampleKpiRows.of(table.grain())));

        List<String> written = new ArrayList<>();
        row.fieldNames().forEachRemaining(written::add);
        assertThat(schema.keySet()).containsExactlyInAnyOrderElementsOf(written);
        for (String column : written) {
            JsonNode value = row.get(column);
            switch (schema.get(column)) {
                case "STRING" -> assertThat(value.isTextual()).as(column).isTrue();
                case "LONG", "INT" -> assertThat(value.isIntegralNumber()).as(column).isTrue();
                case "DOUBLE" -> assertThat(value.isNumber()).as(column).isTrue();
                case "BYTES" ->
                        assertThat(HexFormat.of().parseHex(value.asText()))
                                .as("%s is hex", column)
                                .isNotEmpty();
                default -> throw new AssertionError(column + ": " + schema.get(column));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(KpiTable.class)
    void everyCatalogKpiOfTheGrainHasItsColumns(KpiTable table) {
        Map<String, String> schema = columnTypes(table.schema());
        Map<String, String> expected = new HashMap<>();
        if (table.grain() == Grain.SATURATION) {
            for (SaturationKpi signal : MetricCatalog.SATURATION) {
                signal.aggregates().forEach(a -> expected.put(signal.name() + "_" + a, "DOUBLE"));
            }
        } else {
            for (CounterKpi counter : MetricCatalog.COUNTERS) {
                expected.put(counter.name(), "LONG");
            }
            for (DistributionKpi distribution : MetricCatalog.DISTRIBUTIONS) {
                expected.put(distribution.name() + "_tdigest", "BYTES");
                for (double q : distribution.quantiles()) {
                    expected.put(distribution.percentileColumn(q), "DOUBLE");
                }
            }
        }
        assertThat(schema).containsAllEntriesOf(expected);
        assertThat(strings(table.schema().path("primaryKeyColumns")))
                .as("primary key = the grain's upsert key")
                .isEqualTo(table.grain().dimensions());
    }

    @ParameterizedTest
    @EnumSource(KpiTable.class)
    void theTableUpsertsByVersionFromItsTopicReadCommitted(KpiTable table) {
        JsonNode config = table.tableConfig();
        Map<String, String> schema = columnTypes(table.schema());
        assertThat(config.path("tableName").asText()).isEqualTo(table.tableName());
        assertThat(config.path("tableType").asText()).isEqualTo("REALTIME");
        assertThat(config.path("segmentsConfig").path("schemaName").asText())
                .isEqualTo(table.tableName());
        assertThat(config.path("segmentsConfig").path("timeColumnName").asText())
                .isEqualTo("window_start");
        assertThat(config.path("upsertConfig").path("mode").asText()).isEqualTo("FULL");
        assertThat(config.path("upsertConfig").path("comparisonColumn").asText())
                .isEqualTo("version");
        assertThat(config.path("routing").path("instanceSelectorType").asText())
                .as("upsert tables need every segment of a partition on one server")
                .isEqualTo("strictReplicaGroup");
        JsonNode stream = config.path("tableIndexConfig").path("streamConfigs");
        assertThat(stream.path("stream.kafka.topic.name").asText()).isEqualTo(table.topic());
        assertThat(stream.path("stream.kafka.isolation.level").asText())
                .isEqualTo("read_committed");
        assertThat(stream.path("stream.kafka.broker.list").asText())
                .isEqualTo(KpiTable.BOOTSTRAP_PLACEHOLDER);

        JsonNode indexes = config.path("tableIndexConfig");
        List<String> indexed = new ArrayList<>();
        for (String kind :
                List.of(
                        "invertedIndexColumns",
                        "rangeIndexColumns",
                        "noDictionaryColumns",
                        "sortedColumn",
                        "bloomFilterColumns")) {
            indexed.addAll(strings(indexes.path(kind)));
        }
        assertThat(schema.keySet()).as("indexed columns exist").containsAll(indexed);
        List<String> sketches =
                schema.entrySet().stream()
                        .filter(c -> c.getValue().equals("BYTES"))
                        .map(Map.Entry::getKey)
                        .toList();
        assertThat(strings(indexes.path("noDictionaryColumns")))
                .as("sketch columns are raw bytes, never dictionary-encoded")
                .containsAll(sketches);
    }

    private static Map<String, String> columnTypes(JsonNode schema) {
        Map<String, String> types = new HashMap<>();
        for (String specs :
                List.of("dimensionFieldSpecs", "metricFieldSpecs", "dateTimeFieldSpecs")) {
            for (JsonNode spec : schema.path(specs)) {
                assertThat(types.put(spec.get("name").asText(), spec.get("dataType").asText()))
                        .as("column %s defined once", spec.get("name"))
                        .isNull();
            }
        }
        return types;
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
