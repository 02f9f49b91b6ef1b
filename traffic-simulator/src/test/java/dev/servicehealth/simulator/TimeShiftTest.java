package dev.servicehealth.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.model.remotewrite.PromSample;
import dev.servicehealth.model.remotewrite.PromSeries;
import dev.servicehealth.model.remotewrite.RemoteWriteCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeShiftTest {
    private static final long WEEK_MS = Duration.ofDays(7).toMillis();
    private static final TimeShift A_WEEK_ON = TimeShift.byMinutes(7 * 24 * 60);

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            textBlock =
                    """
                    {"request_id":"r1","timestamp":1764582000123,"status":200}          | {"request_id":"r1","timestamp":1765186800123,"status":200}
                    {"requestId":"r1","ts":1764582000123}                               | {"requestId":"r1","ts":1765186800123}
                    {"timestamp":"1764582000123","http_status":"503"}                   | {"timestamp":"1765186800123","http_status":"503"}
                    {"time":1764582000.250,"region":"emea"}                             | {"time":1765186800.250,"region":"emea"}
                    {"@timestamp":"2026-12-01T09:40:00.123Z","ua":"curl/8.5.0"}         | {"@timestamp":"2026-12-08T09:40:00.123Z","ua":"curl/8.5.0"}
                    {"@timestamp":"2026-12-01T10:40:00.123+01:00"}                      | {"@timestamp":"2026-12-08T10:40:00.123+01:00"}
                    {"meta":{"timestamp":1},"timestamp":1764582000123}                  | {"meta":{"timestamp":1},"timestamp":1765186800123}
                    { "timestamp" : 1764582000123 , "x" : [1,2] }                       | { "timestamp" : 1765186800123 , "x" : [1,2] }
                    """)
    void movesTheEventTimeOfALineInItsOwnSpellingAndKeepsEveryOtherByte(
            String captured, String shifted) {
        CapturedRecord record =
                A_WEEK_ON.apply(
                        new CapturedRecord(
                                "raw.gateway",
                                "k".getBytes(StandardCharsets.UTF_8),
                                captured.getBytes(StandardCharsets.UTF_8),
                                1_764_582_001_000L));

        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(shifted);
        assertThat(record.timestampMs()).isEqualTo(1_764_582_001_000L + WEEK_MS);
        assertThat(record.key()).isEqualTo("k".getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            textBlock =
                    """
                    {"timestamp":17645820
                    {"timestamp":"yesterday"}
                    `GET /services/data/v60/query 200`
                    """)
    void keepsTheBytesOfALineWhoseTimeItCannotRead(String captured) {
        CapturedRecord record =
                A_WEEK_ON.apply(
                        new CapturedRecord(
                                "raw.gateway", null, captured.getBytes(StandardCharsets.UTF_8), 5));

        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(captured);
        assertThat(record.timestampMs()).isEqualTo(5 + WEEK_MS);
    }

    @Test
    void movesEverySampleOfARemoteWriteBody() throws Exception {
        byte[] body =
                RemoteWriteCodec.encode(
                        List.of(
                                new PromSeries(
                                        Map.of("__name__", "queue_depth", "region", "EMEA"),
                                        List.of(
                                                new PromSample(1_764_582_000_000L, 3),
                                                new PromSample(1_764_582_015_000L, 4)))));

        CapturedRecord record =
                A_WEEK_ON.apply(new CapturedRecord("raw.metrics", null, body, 1_764_582_016_000L));

        assertThat(RemoteWriteCodec.decode(record.value()))
                .singleElement()
                .satisfies(
                        series ->
                                assertThat(series.samples())
                                        .containsExactly(
                                                new PromSample(1_764_582_000_000L + WEEK_MS, 3),
                                                new PromSample(1_764_582_015_000L + WEEK_MS, 4)));
    }

    @Test
    void endsTheCaptureAsTheReplayEndsInWholeMinutes() {
        long first = 1_000_000_000_000L;
        long last = first + Duration.ofMinutes(10).toMillis();
        long now = 1_764_582_037_500L;

        TimeShift original = TimeShift.toNow(first, last, Pacing.original(), now);
        TimeShift tenTimes = TimeShift.toNow(first, last, Pacing.speed(10), now);
        TimeShift unpaced = TimeShift.toNow(first, last, Pacing.maxSpeed(), now);

        assertThat(first + original.offsetMs()).isBetween(now - 59_999, now);
        assertThat(last + tenTimes.offsetMs()).isBetween(now + 60_000 - 59_999, now + 60_000);
        assertThat(last + unpaced.offsetMs()).isBetween(now - 59_999, now);
        for (TimeShift shift : List.of(original, tenTimes, unpaced)) {
            assertThat(shift.offsetMs() % 60_000).isZero();
        }
    }
}
