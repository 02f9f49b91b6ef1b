package dev.servicehealth.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.servicehealth.model.remotewrite.PromSample;
import dev.servicehealth.model.remotewrite.PromSeries;
import dev.servicehealth.model.remotewrite.RemoteWriteCodec;
import dev.servicehealth.model.remotewrite.RemoteWriteFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Moves captured traffic in time by one offset, so that an incident captured last week replays as
 * if it happened now: the Kafka timestamp and the event time inside each record (a JSON line's
 * {@code timestamp} / {@code ts} / {@code @timestamp} / {@code time} in the spelling it has: epoch
 * milliseconds, epoch seconds, a quoted number or ISO-8601 with its offset; every sample of a
 * remote-write body). Order, lateness and everything else stay as captured; a record whose event
 * time cannot be read (a malformed line, an undecodable body) keeps its bytes and only its Kafka
 * timestamp moves. Offsets are whole minutes, so every event stays in the same place of its
 * one-minute window.
 */
public final class TimeShift {
    private static final Set<String> TIME_FIELDS = Set.of("timestamp", "ts", "@timestamp", "time");
    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT);

    /** Epoch numbers below this are seconds (year 5138 in milliseconds, 1973 in seconds). */
    private static final double SECONDS_BELOW = 1e11;

    private final long offsetMs;

    private TimeShift(long offsetMs) {
        if (offsetMs % 60_000 != 0) {
            throw new IllegalArgumentException(offsetMs + " ms is not a whole number of minutes");
        }
        this.offsetMs = offsetMs;
    }

    public static TimeShift none() {
        return new TimeShift(0);
    }

    public static TimeShift byMinutes(long minutes) {
        return new TimeShift(minutes * 60_000);
    }

    /**
     * The shift that makes a capture from {@code firstMs} to {@code lastMs}, replayed from {@code
     * nowMs} at {@code pacing}, end as its replay ends: at the original pace the capture's first
     * record happens now, faster the earlier records lie in the recent past. Rounded down to whole
     * minutes, so no event lands in the future.
     */
    public static TimeShift toNow(long firstMs, long lastMs, Pacing pacing, long nowMs) {
        long replayMs = pacing.paced() ? Math.round((lastMs - firstMs) / pacing.speed()) : 0;
        long offset = nowMs + replayMs - lastMs;
        return new TimeShift(Math.floorDiv(offset, 60_000L) * 60_000L);
    }

    public long offsetMs() {
        return offsetMs;
    }

    public CapturedRecord apply(CapturedRecord record) {
        if (offsetMs == 0) {
            return record;
        }
        return new CapturedRecord(
                record.topic(),
                record.key(),
                shiftValue(record.value()),
                record.timestampMs() + offsetMs);
    }

    private byte[] shiftValue(byte[] value) {
        int first = 0;
        while (first < value.length && Character.isWhitespace(value[first])) {
            first++;
        }
        if (first < value.length && value[first] == '{') {
            return shiftJson(value);
        }
        return shiftRemoteWrite(value);
    }

    /**
     * The line with its top-level time fields replaced, every other byte as it was; the line as it
     * was when it is not one well-formed JSON object or a time field cannot be read.
     */
    private byte[] shiftJson(byte[] line) {
        List<int[]> spans = new ArrayList<>();
        List<String> values = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(line)) {
            parser.nextToken();
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
                if (token != JsonToken.FIELD_NAME) {
                    return line;
                }
                boolean time = TIME_FIELDS.contains(parser.currentName());
                JsonToken value = parser.nextToken();
                if (time) {
                    int start = (int) parser.currentTokenLocation().getByteOffset();
                    String shifted = shiftedValue(parser, value);
                    if (shifted == null) {
                        return line;
                    }
                    int end =
                            value == JsonToken.VALUE_STRING
                                    ? closingQuote(line, start) + 1
                                    : start + parser.getText().length();
                    spans.add(new int[] {start, end});
                    values.add(shifted);
                }
                parser.skipChildren();
            }
            if (parser.nextToken() != null || spans.isEmpty()) {
                return line;
            }
        } catch (IOException | RuntimeException malformed) {
            return line;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(line.length + 8 * spans.size());
        int copied = 0;
        for (int k = 0; k < spans.size(); k++) {
            out.write(line, copied, spans.get(k)[0] - copied);
            out.writeBytes(values.get(k).getBytes(StandardCharsets.UTF_8));
            copied = spans.get(k)[1];
        }
        out.write(line, copied, line.length - copied);
        return out.toByteArray();
    }

    /** Where the string that opens at {@code open} closes. */
    private static int closingQuote(byte[] line, int open) {
        for (int i = open + 1; i < line.length; i++) {
            if (line[i] == '\\') {
                i++;
            } else if (line[i] == '"') {
                return i;
            }
        }
        throw new IllegalArgumentException("unterminated string");
    }

    /** The new JSON text of a time value, or null when it is not one. */
    private String shiftedValue(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
            return shiftedNumber(parser.getText());
        }
        if (value != JsonToken.VALUE_STRING) {
            return null;
        }
        String text = parser.getText();
        String number = shiftedNumber(text.trim());
        if (number != null) {
            return "\"" + number + "\"";
        }
        try {
            OffsetDateTime at = OffsetDateTime.parse(text.trim());
            return "\"" + ISO_MILLIS.format(at.plus(Duration.ofMillis(offsetMs))) + "\"";
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** An epoch number in its own unit and precision, shifted; null when it is not a number. */
    private String shiftedNumber(String text) {
        try {
            if (text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0) {
                long epoch = Long.parseLong(text);
                return Long.toString(
                        epoch < SECONDS_BELOW ? epoch + offsetMs / 1000 : epoch + offsetMs);
            }
            double epoch = Double.parseDouble(text);
            if (epoch >= SECONDS_BELOW) {
                return Long.toString(Math.round(epoch) + offsetMs);
            }
            int decimals = text.length() - text.indexOf('.') - 1;
            return String.format(
                    Locale.ROOT, "%." + Math.max(0, decimals) + "f", epoch + offsetMs / 1000.0);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private byte[] shiftRemoteWrite(byte[] body) {
        try {
            List<PromSeries> series = RemoteWriteCodec.decode(body);
            List<PromSeries> shifted = new ArrayList<>(series.size());
            for (PromSeries one : series) {
                List<PromSample> samples = new ArrayList<>(one.samples().size());
                for (PromSample sample : one.samples()) {
                    samples.add(new PromSample(sample.timestampMs() + offsetMs, sample.value()));
                }
                shifted.add(new PromSeries(one.labels(), samples));
            }
            return RemoteWriteCodec.encode(shifted);
        } catch (RemoteWriteFormatException | RuntimeException undecodable) {
            return body;
        }
    }

    @Override
    public String toString() {
        return offsetMs == 0 ? "not shifted" : "shifted by " + offsetMs / 60_000 + " min";
    }
}
