package dev.servicehealth.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servicehealth.model.catalog.BurnRateRule;
import dev.servicehealth.model.pager.ScopeLevel;
import dev.servicehealth.model.pager.ScopePage;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The production Alertmanager config of deploy/alertmanager, checked by the amtool of the same
 * Debian package the tests run: it loads, and the alerts the notifier posts route pages to the
 * pager and tickets to the ticket queue.
 */
class DeployedAlertmanagerConfigTest {
    private static final Path CONFIG = Path.of("..", "deploy", "alertmanager", "alertmanager.yml");
    private static final Path AMTOOL =
            Path.of(System.getProperty("amtool.binary", "/usr/bin/amtool"));

    @Test
    void theConfigLoads() throws Exception {
        assertThat(amtool("check-config", CONFIG.toString())).contains("SUCCESS");
    }

    @Test
    void pagesRouteToThePagerAndTicketsToTheTicketQueue() throws Exception {
        assertThat(routeOf(BurnRateRule.Severity.PAGE)).isEqualTo("oncall");
        assertThat(routeOf(BurnRateRule.Severity.TICKET)).isEqualTo("tickets");
    }

    private static String routeOf(BurnRateRule.Severity severity) throws Exception {
        ScopePage ofSeverity = DrillDownTest.page(severity, ScopeLevel.REGION, "EMEA");
        JsonNode labels =
                PageAlert.of(ofSeverity, List.of(), URI.create("http://grafana"), 0).path("labels");
        List<String> args =
                new ArrayList<>(List.of("config", "routes", "test", "--config.file=" + CONFIG));
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> label = it.next();
            args.add(label.getKey() + "=" + label.getValue().asText());
        }
        return amtool(args.toArray(String[]::new)).strip();
    }

    private static String amtool(String... args) throws IOException, InterruptedException {
        assertThat(Files.isExecutable(AMTOOL))
                .as("amtool is missing: 'apt-get install prometheus-alertmanager'")
                .isTrue();
        List<String> command = new ArrayList<>(List.of(AMTOOL.toString()));
        command.addAll(List.of(args));
        Process process =
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("amtool %s: %s", command, out).isZero();
        return out;
    }
}
