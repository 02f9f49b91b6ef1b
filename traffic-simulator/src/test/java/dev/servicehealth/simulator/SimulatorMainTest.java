package dev.servicehealth.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorMainTest {
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final SimulatorMain main =
            new SimulatorMain(
                    new PrintStream(output, true, StandardCharsets.UTF_8), new AtomicBoolean());

    private String output() {
        return output.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpPrintsUsage() {
        assertThat(main.run(new String[] {"--help"})).isZero();
        assertThat(output()).contains("generate", "replay", "--realtime", "--max-speed");
    }

    @Test
    void generateWritesTheSameCaptureAsTheLibrary(@TempDir Path dir) throws Exception {
        int code =
                main.run(
                        new String[] {
                            "generate",
                            "--scenario",
                            "emea-auth-outage",
                            "--rate",
                            "50",
                            "--duration",
                            "1m",
                            "--seed",
                            "42",
                            "--out-dir",
                            dir.toString()
                        });

        assertThat(code).as(output()).isZero();
        assertThat(output()).contains("done:", "expected normalized");
        assertThat(CaptureReader.readAll(dir))
                .isEqualTo(
                        TrafficSimulator.generate(
                                        SimulatorConfig.builder()
                                                .scenario(Scenario.EMEA_AUTH_OUTAGE)
                                                .eventsPerSecond(50)
                                                .duration(Duration.ofMinutes(1))
                                                .seed(42)
                                                .build())
                                .records()
                                .stream()
                                .map(SimulatedRecord::captured)
                                .toList());
    }

    @Test
    void replayCopiesACaptureToAnotherDirectory(@TempDir Path dir) throws Exception {
        Path from = dir.resolve("from");
        Path to = dir.resolve("to");
        main.run(
                new String[] {
                    "generate", "--rate", "20", "--duration", "30s", "--out-dir", from.toString()
                });

        int code =
                main.run(
                        new String[] {
                            "replay",
                            "--from",
                            from.toString(),
                            "--out-dir",
                            to.toString(),
                            "--max-speed"
                        });

        assertThat(code).as(output()).isZero();
        assertThat(CaptureReader.readAll(to)).isEqualTo(CaptureReader.readAll(from));
    }

    @Test
    void realtimeGenerationIsBoundedByMaxRecords(@TempDir Path dir) throws Exception {
        int code =
                main.run(
                        new String[] {
                            "generate",
                            "--realtime",
                            "--rate",
                            "1000",
                            "--max-records",
                            "200",
                            "--out-dir",
                            dir.toString()
                        });

        assertThat(code).as(output()).isZero();
        assertThat(CaptureReader.readAll(dir)).hasSize(200);
        assertThat(output()).contains("real time");
        assertThat(Files.list(dir)).isNotEmpty();
    }

    @Test
    void badOptionsFailWithUsageExitCodeNamingTheProblem() {
        assertThat(main.run(new String[] {"generate", "--rate", "fast", "--out-dir", "x"}))
                .isEqualTo(2);
        assertThat(output()).contains("--rate");
        assertThat(main.run(new String[] {"generate", "--colour", "red"})).isEqualTo(2);
        assertThat(output()).contains("unknown option --colour");
        assertThat(
                        main.run(
                                new String[] {
                                    "generate", "--out-dir", "x", "--bootstrap-servers", "y"
                                }))
                .isEqualTo(2);
        assertThat(main.run(new String[] {"generate", "--scenario", "meteor", "--out-dir", "x"}))
                .isEqualTo(2);
        assertThat(output()).contains("unknown scenario 'meteor'");
    }

    @Test
    void parsesHumanDurations() {
        assertThat(SimulatorMain.duration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(SimulatorMain.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(SimulatorMain.duration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(SimulatorMain.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(SimulatorMain.duration("PT2M")).isEqualTo(Duration.ofMinutes(2));
    }
}
