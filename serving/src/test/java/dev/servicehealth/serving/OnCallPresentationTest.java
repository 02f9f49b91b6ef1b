package dev.servicehealth.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the CLI reads ranges and shows answers: ratios from sums, the trend, the SQL literals. */
class OnCallPresentationTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void rangesAreWholeMinutes() {
        assertThat(OnCallCli.duration("15m", "5m")).isEqualTo(900_000);
        assertThat(OnCallCli.duration(null, "1h")).isEqualTo(3_600_000);
        assertThat(OnCallCli.duration("120s", "5m")).isEqualTo(120_000);
        assertThatThrownBy(() -> OnCallCli.duration("90s", "5m"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OnCallCli.duration("5x", "5m"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ratiosComeFromTheSummedCounters() {
        QueryResult result =
                new QueryResult(
                        List.of("region", "requests_now", "successes_now", "server_errors_now"),
                        List.of(
                                List.of(
                                        NODES.textNode("EMEA"),
                                        NODES.numberNode(400.0),
                                        NODES.numberNode(300.0),
                                        NODES.numberNode(100.0)),
                                List.of(
                                        NODES.textNode("APAC"),
                                        NODES.numberNode(0.0),
                                        NODES.numberNode(0.0),
                                        NODES.numberNode(0.0))),
                        3,
                        2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResultTable.of(result).print(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8).lines())
                .containsExactly(
                        "region  requests_now  successes_now  server_errors_now  avail%_now"
                                + "  5xx%_now",
                        "EMEA    400           300            100                75.00"
                                + "       25.00",
                        "APAC    0             0              0                  -"
                                + "           -");
    }

    @Test
    void aFallingErrorRateIsImprovingAndARisingOneIsNot() {
        assertThat(Trend.of(trend(50, 40, 30, 20)).describe()).contains("improving");
        assertThat(Trend.of(trend(10, 20, 30, 40)).describe()).contains("getting worse");
        assertThat(Trend.of(trend(10, 10, 10)).describe()).contains("flat");
        assertThat(Trend.of(trend(10)).describe()).contains("not enough minutes");
    }

    @Test
    void parametersBecomeLiteralsAndQuotesCannotEscapeThem() {
        String sql =
                IncidentQuery.TENANT_DRILLDOWN.sql(
                        Map.of(
                                "tenant_token",
                                "x' OR '1'='1",
                                "endpoint",
                                "/a",
                                "from",
                                60_000L,
                                "to",
                                120_000L));
        assertThat(sql)
                .contains("tenant_token = 'x'' OR ''1''=''1'")
                .contains("window_start >= 60000 AND window_start < 120000");
        assertThatThrownBy(() -> IncidentQuery.TENANT_DRILLDOWN.sql(Map.of("from", 1L)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                IncidentQuery.ERROR_TREND.sql(
                                        Map.of("from", 1L, "to", 2L, "region", "EMEA")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Two regions per minute with the given 5xx per 100 requests in each. */
    private static QueryResult trend(int... errorsPerHundred) {
        List<List<JsonNode>> rows = new ArrayList<>();
        for (int minute = 0; minute < errorsPerHundred.length; minute++) {
            for (String region : List.of("EMEA", "AMER")) {
                rows.add(
                        List.of(
                                NODES.numberNode(minute * 60_000L),
                                NODES.textNode(region),
                                NODES.numberNode(100.0),
                                NODES.numberNode((double) errorsPerHundred[minute])));
            }
        }
        return new QueryResult(
                List.of("window_start", "region", "requests", "server_errors"), rows, 1, 1);
    }
}
