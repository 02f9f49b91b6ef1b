package dev.servicehealth.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * deploy/iceberg agrees with the job: its arguments parse, its lifecycle rule is the hot period.
 */
class DeployedHistoryTest {
    private static final Path DEPLOY = Path.of("..", "deploy", "iceberg");

    @Test
    void theProductionArgumentsAreAValidConfiguration() throws Exception {
        List<String> args = new ArrayList<>();
        for (String line : Files.readAllLines(DEPLOY.resolve("iceberg-sink.args"))) {
            if (!line.isBlank()) {
                int space = line.indexOf(' ');
                args.add(line.substring(0, space));
                args.add(line.substring(space + 1));
            }
        }
        IcebergSinkConfig config = IcebergSinkConfig.fromArgs(args.toArray(String[]::new));

        assertThat(config.get(IcebergSinkConfig.CATALOG_TYPE)).isEqualTo("rest");
        assertThat(config.get(IcebergSinkConfig.WAREHOUSE)).startsWith("s3://");
    }

    @Test
    void bronzeGoesColdWhenItsHotPeriodEnds() throws Exception {
        JsonNode rules =
                new ObjectMapper().readTree(DEPLOY.resolve("bronze-lifecycle.json").toFile());
        List<String> prefixes = new ArrayList<>();
        for (JsonNode rule : rules.get("Rules")) {
            prefixes.add(rule.at("/Filter/Prefix").asText());
            assertThat(rule.has("Expiration")).as("Iceberg, not S3, deletes history").isFalse();
            assertThat(rule.at("/Transitions/0/Days").asLong())
                    .isEqualTo(HistoryTable.RAW_RECORDS.hotFor().toDays());
        }
        for (HistoryTable table :
                Arrays.stream(HistoryTable.values())
                        .filter(t -> t.zone() == HistoryTable.Zone.BRONZE)
                        .toList()) {
            assertThat(table.hotFor()).isEqualTo(HistoryTable.RAW_RECORDS.hotFor());
            assertThat(prefixes)
                    .contains(
                            "warehouse/"
                                    + table.identifier().toString().replace('.', '/')
                                    + "/data/");
        }
    }
}
