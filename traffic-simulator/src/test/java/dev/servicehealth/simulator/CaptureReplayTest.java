package dev.servicehealth.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureReplayTest {

    @TempDir Path dir;

    private static List<SimulatedRecord> dirtyRun(TopicNames topics) {
        return TrafficSimulator.generate(
                        SimulatorConfig.builder()
                                .scenario(Scenario.EMEA_AUTH_OUTAGE)
                                .eventsPerSecond(100)
                                .duration(Duration.ofMinutes(2))
                                .dirt(DirtySets.heavy())
                                .statusEventsPerHour(600)
                                .topics(topics)
                                .build())
                .records();
    }

    @Test
    void replayingACaptureReproducesTheSameRecordsInTheSameOrder() throws Exception {
        TopicNames topics = TopicNames.withPrefix("capture-test.");
        List<CapturedRecord> generated =
                dirtyRun(topics).stream().map(SimulatedRecord::captured).toList();
        try (CaptureWriter writer = CaptureWriter.forTopics(dir, topics)) {
            for (CapturedRecord record : generated) {
                writer.send(record);
            }
        }
        CollectingSink sink = new CollectingSink();

        Replayer.Result result = new Replayer(Pacing.maxSpeed()).replay(dir, sink);

        assertThat(sink.records).isEqualTo(generated);
        assertThat(result.records()).isEqualTo(generated.size());
        assertThat(result.perTopic()).containsOnlyKeys(topics.byName().keySet());
        assertThat(generated).anyMatch(r -> r.value().length == 0);
        assertThat(Files.readAllLines(dir.resolve("capture-test.raw.status.jsonl"))).isNotEmpty();
    }

    @Test
    void replayMapsCapturedTopicsToOtherTopics() throws Exception {
        TopicNames topics = TopicNames.defaults();
        try (CaptureWriter writer = CaptureWriter.forTopics(dir, topics)) {
            dirtyRun(topics).stream().limit(500).forEach(r -> send(writer, r.captured()));
        }
        CollectingSink sink = new CollectingSink();

        new Replayer(Pacing.maxSpeed(), t -> "replayed." + t, 100, () -> false, false)
                .replay(dir, sink);

        assertThat(sink.records).hasSize(100).allMatch(r -> r.topic().startsWith("replayed.raw."));
    }

    @Test
    void readsPlainJsonLinesCapturedElsewhereWithTimestampsFromTheLines() throws IOException {
        Files.writeString(
                dir.resolve("raw.gateway.jsonl"),
                """
                {"timestamp":1795341600000,"request_id":"a"}
                {"@timestamp":"2026-11-22T10:00:02.000Z","request_id":"b"}
                not json at all
                {"time":1795341603.5,"request_id":"c"}
                """,
                StandardCharsets.UTF_8);
        Files.writeString(
                dir.resolve("raw.status.ndjson"),
                "{\"ts\":\"1795341601000\",\"event_id\":\"s\"}\r\n",
                StandardCharsets.UTF_8);

        List<CapturedRecord> records = CaptureReader.readAll(dir);

        assertThat(records)
                .extracting(CapturedRecord::topic, CapturedRecord::timestampMs)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("raw.gateway", 1795341600000L),
                        org.assertj.core.groups.Tuple.tuple("raw.status", 1795341601000L),
                        org.assertj.core.groups.Tuple.tuple("raw.gateway", 1795341602000L),
                        org.assertj.core.groups.Tuple.tuple("raw.gateway", 1795341602000L),
                        org.assertj.core.groups.Tuple.tuple("raw.gateway", 1795341603500L));
        assertThat(records).allMatch(r -> r.key() == null);
        assertThat(new String(records.get(1).value(), StandardCharsets.UTF_8))
                .isEqualTo("{\"ts\":\"1795341601000\",\"event_id\":\"s\"}");
        assertThat(new String(records.get(3).value(), StandardCharsets.UTF_8))
                .isEqualTo("not json at all");
    }

    @Test
    void acceleratedReplayKeepsTheRelativePaceOfTheRecords() throws Exception {
        Files.writeString(
                dir.resolve("raw.gateway.jsonl"),
                "{\"timestamp\":1795341600000}\n{\"timestamp\":1795341601000}\n"
                        + "{\"timestamp\":1795341602000}\n");
        CollectingSink sink = new CollectingSink();

        Replayer.Result result = new Replayer(Pacing.speed(10)).replay(dir, sink);

        assertThat(sink.records).hasSize(3);
        assertThat(result.elapsed()).isBetween(Duration.ofMillis(190), Duration.ofSeconds(2));
    }

    @Test
    void captureRejectsValuesThatWouldBreakTheLineFormat() throws IOException {
        try (CaptureWriter writer = new CaptureWriter(dir, Set.of())) {
            CapturedRecord twoLines =
                    new CapturedRecord("raw.gateway", null, "{}\n{}".getBytes(), 1L);
            assertThatThrownBy(() -> writer.send(twoLines))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void anEmptyDirectoryIsNotACapture() {
        assertThatThrownBy(() -> CaptureReader.readAll(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no capture files");
    }

    private static void send(RecordSink sink, CapturedRecord record) {
        try {
            sink.send(record);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void flushReportsRecordsPerTopic() throws IOException {
        try (CaptureWriter writer = new CaptureWriter(dir, Set.of("raw.metrics"))) {
            writer.send(new CapturedRecord("raw.metrics", null, new byte[] {1, 2}, 5L));
            writer.send(new CapturedRecord("raw.status", null, "{}".getBytes(), 6L));
            assertThat(writer.flush()).isEqualTo(Map.of("raw.metrics", 1L, "raw.status", 1L));
        }
    }
}
