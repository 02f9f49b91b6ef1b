package dev.servicehealth.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.model.privacy.TenantKeyFile;
import dev.servicehealth.model.reference.ReferenceData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the CLI says when it cannot answer: one line that names the problem, and an exit code. */
class OnCallErrorsTest {
    @TempDir Path tmp;

    @Test
    void anUnreachableBrokerIsOneLineWithTheUrlAndTheCause() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit =
                cli(URI.create("http://127.0.0.1:" + closedPort))
                        .execute(
                                List.of("regional-availability"),
                                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8).lines())
                .containsExactly(
                        "oncall: cannot reach Pinot at http://127.0.0.1:"
                                + closedPort
                                + "/query/sql: connection refused");
    }

    @Test
    void aBadCommandLineNamesTheProblemAndShowsTheUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit =
                cli(URI.create("http://127.0.0.1:1"))
                        .execute(
                                List.of("tenant-drilldown", "--tenant", "ACME"),
                                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("oncall: missing --endpoint")
                .contains("usage: oncall");
    }

    @Test
    void saysWhichEndpointAPathFromALogLineIsCountedUnder() throws Exception {
        Path key = tmp.resolve("tenant.key");
        TenantKeyFile.writeRandom(key);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OnCallCli cli =
                new OnCallCli(
                        URI.create("http://127.0.0.1:1"),
                        key,
                        new AuditLog(tmp.resolve("audit.jsonl")),
                        "alice",
                        ReferenceData.bundled(),
                        Clock.systemUTC(),
                        new PrintStream(out, true, StandardCharsets.UTF_8));

        cli.execute(
                List.of(
                        "drilldown",
                        "--tenant",
                        "ACME",
                        "--endpoint",
                        "/services/data/v60.0/query?q=SELECT+Id+FROM+Case"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        cli.execute(
                List.of("drilldown", "--tenant", "ACME", "--endpoint", "/api/orders/4711/"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(out.toString(StandardCharsets.UTF_8).lines())
                .containsExactly(
                        "# endpoint /services/data/v60.0/query?q=SELECT+Id+FROM+Case is counted as"
                                + " /services/data/v60/query (Platform / core-api)",
                        "# endpoint /api/orders/4711/ is counted as /api/orders/{id} (not in the"
                                + " service catalog)");
    }

    @Test
    void everyQueryNamesItsTableAndEveryRangedQueryItsTimeColumn() {
        java.util.Set<String> deployed = new java.util.HashSet<>();
        for (KpiTable table : KpiTable.values()) {
            deployed.add(table.tableName());
        }
        for (EventLogTable table : EventLogTable.values()) {
            deployed.add(table.tableName());
        }
        for (IncidentQuery query : IncidentQuery.values()) {
            assertThat(query.table()).as(query.name()).isIn(deployed);
            if (query.parameters().contains("from")) {
                assertThat(query.timeColumn()).as(query.name()).isPresent();
            }
        }
        assertThat(IncidentQuery.DEAD_LETTERS.timeColumn()).contains("dead_lettered_at_ms");
    }

    private OnCallCli cli(URI broker) {
        return new OnCallCli(
                broker,
                null,
                new AuditLog(tmp.resolve("audit.jsonl")),
                "alice",
                ReferenceData.bundled(),
                Clock.systemUTC(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }
}
