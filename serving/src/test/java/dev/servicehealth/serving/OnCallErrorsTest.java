package dev.servicehealth.serving;

import static org.assertj.core.api.Assertions.assertThat;

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
    void everyQueryNamesItsTableAndEveryRangedQueryItsTimeColumn() {
        for (IncidentQuery query : IncidentQuery.values()) {
            assertThat(query.table()).as(query.name()).matches("[a-z_]+_(kpi|events|letters)");
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
                ReferenceData.bundled().sloTargets(),
                Clock.systemUTC(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }
}
