package dev.servicehealth.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.history.HistoryCatalog;
import dev.servicehealth.history.LocalHistoryTables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@code ./backfill-range} says and returns before it computes anything: a wrong argument, a
 * refused range, a held lock; and the record of each, listed.
 */
class BackfillCliTest {
    @RegisterExtension final LocalHistoryTables tables = new LocalHistoryTables();

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @Test
    void aMissingReasonIsAWrongArgument() {
        int code = run(without("--reason"));

        assertThat(code).isEqualTo(BackfillCli.USAGE_ERROR);
        assertThat(printed()).contains("--reason is required", "usage: backfill-range");
    }

    @Test
    void anUnknownGrainIsAWrongArgument() {
        List<String> args = args();
        args.addAll(List.of("--grains", "service;tenant"));

        assertThat(run(args)).isEqualTo(BackfillCli.USAGE_ERROR);
        assertThat(printed()).contains("no grain 'tenant'");
    }

    @Test
    void aRangeNotClosedYetIsRefusedAndRecorded() {
        List<String> args = args();
        args.addAll(List.of("--now", "2026-11-30T16:05:00Z"));

        assertThat(run(args)).isEqualTo(BackfillCli.REFUSED);
        assertThat(printed()).contains("refused: the windows up to", "not closed yet");

        printed.reset();
        assertThat(run(catalogArgs("--list"))).isZero();
        assertThat(printed()).contains("refused", "by tester", "a test");
    }

    @Test
    void aHeldLockRefusesASecondBackfillAndNamesTheFirst() {
        BackfillLock.acquire(
                tables.catalog(),
                "bf_first",
                Map.of(
                        "backfill.range", "[2026-11-30T09:00:00Z, 2026-11-30T10:00:00Z)",
                        "backfill.requested-by", "alice",
                        "backfill.started-at", "2026-11-30T16:20:00Z"));

        assertThat(run(args())).isEqualTo(BackfillCli.LOCKED);
        assertThat(printed())
                .contains(
                        "another backfill is running: bf_first",
                        "by alice",
                        "--release-lock bf_first");

        printed.reset();
        assertThat(run(catalogArgs("--release-lock", "bf_second"))).isEqualTo(BackfillCli.FAILED);
        assertThat(run(catalogArgs("--release-lock", "bf_first"))).isZero();
        assertThat(printed()).contains("released the lock of bf_first");
    }

    private List<String> args() {
        HistoryCatalog catalog = tables.location();
        return new ArrayList<>(
                List.of(
                        "--from", "2026-11-30T10:00Z",
                        "--to", "2026-11-30T16:00Z",
                        "--reason", "a test",
                        "--generation", "1",
                        "--requested-by", "tester",
                        "--now", "2026-11-30T20:00:00Z",
                        "--bootstrap-servers", "127.0.0.1:1",
                        "--catalog-name", catalog.name(),
                        "--catalog-uri", catalog.uri(),
                        "--warehouse", catalog.warehouse()));
    }

    private List<String> without(String option) {
        List<String> args = args();
        int at = args.indexOf(option);
        args.remove(at + 1);
        args.remove(at);
        return args;
    }

    private List<String> catalogArgs(String... command) {
        HistoryCatalog catalog = tables.location();
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(
                List.of(
                        "--catalog-name", catalog.name(),
                        "--catalog-uri", catalog.uri(),
                        "--warehouse", catalog.warehouse()));
        return args;
    }

    private int run(List<String> args) {
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        return BackfillCli.run(
                args.toArray(String[]::new),
                out,
                out,
                StreamExecutionEnvironment::getExecutionEnvironment);
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }
}
