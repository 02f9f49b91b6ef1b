package dev.servicehealth.simulator;

import dev.servicehealth.model.DeadLetterReason;
import dev.servicehealth.model.remotewrite.RemoteWriteCodec;
import dev.servicehealth.model.remotewrite.RemoteWriteFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Turns good records into bad ones, each with exactly one fault so that its dead-letter reason is
 * unambiguous. Every JSON-topic variant stays free of line breaks, so it still fits one line of a
 * capture file.
 */
final class BadRecords {

    /** A line dead-letter kind chosen for one line. */
    enum LineFault {
        MALFORMED(DeadLetterReason.MALFORMED_JSON),
        NOT_OBJECT(DeadLetterReason.NOT_A_JSON_OBJECT),
        EMPTY(DeadLetterReason.EMPTY_RECORD),
        MISSING_FIELD(DeadLetterReason.MISSING_REQUIRED_FIELD),
        INVALID_VALUE(DeadLetterReason.INVALID_FIELD_VALUE);

        final DeadLetterReason reason;

        LineFault(DeadLetterReason reason) {
            this.reason = reason;
        }
    }

    static final List<String> GATEWAY_REQUIRED =
            List.of("request_id", "tenant_id", "region", "endpoint", "http_status", "timestamp");
    static final List<String> AUTH_REQUIRED =
            List.of("request_id", "tenant_id", "region", "outcome", "timestamp");
    static final List<String> STATUS_REQUIRED = List.of("event_id", "type", "service", "timestamp");

    static final List<Lines.Defect> GATEWAY_INVALID =
            List.of(
                    new Lines.Defect("http_status", "\"abc\""),
                    new Lines.Defect("http_status", "\"2OO\""),
                    new Lines.Defect("latency_ms", "\"slow\""),
                    new Lines.Defect("bytes_out", "\"lots\""),
                    new Lines.Defect("timestamp", "\"yesterday\""),
                    new Lines.Defect("timestamp", "\"1999-12-31T23:59:59.000Z\""));
    static final List<Lines.Defect> AUTH_INVALID =
            List.of(
                    new Lines.Defect("outcome", "\"maybe\""),
                    new Lines.Defect("timestamp", "\"yesterday\""),
                    new Lines.Defect("timestamp", "\"2150-01-01T00:00:00.000Z\""));
    static final List<Lines.Defect> STATUS_INVALID =
            List.of(
                    new Lines.Defect("timestamp", "\"yesterday\""),
                    new Lines.Defect("timestamp", "\"1999-12-31T23:59:59.000Z\""));

    private static final String[] TEXT_LINES = {
        "\"upstream connect error or disconnect/reset before headers\"",
        "\"GET /services/data/v60/query 200\"",
    };

    private final Dice dice;

    BadRecords(Dice dice) {
        this.dice = dice;
    }

    /**
     * Picks the fault of one line, or null for a good line. During an incident the failing traffic
     * gets {@code burst} extra malformed share.
     */
    LineFault pickFault(DirtRates dirt, double burst) {
        double u = dice.uniform();
        double edge = dirt.rate(Dirt.MALFORMED) + burst;
        if (u < edge) {
            return LineFault.MALFORMED;
        }
        edge += dirt.rate(Dirt.NOT_OBJECT);
        if (u < edge) {
            return LineFault.NOT_OBJECT;
        }
        edge += dirt.rate(Dirt.EMPTY);
        if (u < edge) {
            return LineFault.EMPTY;
        }
        edge += dirt.rate(Dirt.MISSING_FIELD);
        if (u < edge) {
            return LineFault.MISSING_FIELD;
        }
        edge += dirt.rate(Dirt.INVALID_VALUE);
        if (u < edge) {
            return LineFault.INVALID_VALUE;
        }
        return null;
    }

    /** A required field dropped, or (one time in five) sent as JSON null. */
    Lines.Defect missing(List<String> required) {
        String field = required.get(dice.index(required.size()));
        return new Lines.Defect(field, dice.chance(0.2) ? "null" : null);
    }

    Lines.Defect invalid(List<Lines.Defect> candidates) {
        return candidates.get(dice.index(candidates.size()));
    }

    /**
     * A line cut short by a crashing writer, binary garbage, or an invalid escape sequence. None of
     * them is well-formed JSON: a proper prefix of an object misses its closing brace; the garbage
     * starts with a UTF-8 continuation byte, which can start neither JSON nor a byte-order mark;
     * {@code \q} is not a JSON escape.
     */
    byte[] malformed(byte[] goodLine) {
        double u = dice.uniform();
        if (u < 0.6) {
            return Arrays.copyOf(goodLine, (int) dice.between(1, goodLine.length - 1));
        }
        if (u < 0.85) {
            byte[] garbage = new byte[(int) dice.between(16, 200)];
            garbage[0] = (byte) dice.between(0x80, 0xBF);
            for (int i = 1; i < garbage.length; i++) {
                int b;
                do {
                    b = dice.index(256);
                } while (b == '\n' || b == '\r');
                garbage[i] = (byte) b;
            }
            return garbage;
        }
        String line = new String(goodLine, StandardCharsets.UTF_8);
        int firstStringValue = line.indexOf("\":\"") + 3;
        return (line.substring(0, firstStringValue) + "\\q" + line.substring(firstStringValue))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Valid JSON that is not an object: a batch array, a bare string or a number. */
    byte[] notObject(byte[] goodLine) {
        double u = dice.uniform();
        if (u < 0.5) {
            byte[] array = new byte[goodLine.length + 2];
            array[0] = '[';
            System.arraycopy(goodLine, 0, array, 1, goodLine.length);
            array[array.length - 1] = ']';
            return array;
        }
        if (u < 0.8) {
            return TEXT_LINES[dice.index(TEXT_LINES.length)].getBytes(StandardCharsets.UTF_8);
        }
        return Long.toString(dice.between(0, 1_000_000)).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A body a misconfigured sender could post to the remote-write receiver: a truncated request, a
     * JSON error page from a proxy, or random bytes. Each candidate is checked with the codec, so
     * it is certain to be undecodable as not-snappy or not-protobuf (never as "too large", which is
     * a different reason).
     */
    byte[] undecodableRemoteWrite(byte[] goodBody) {
        for (int attempt = 0; attempt < 8; attempt++) {
            byte[] candidate;
            double u = dice.uniform();
            if (u < 0.4) {
                candidate = Arrays.copyOf(goodBody, Math.max(1, goodBody.length / 2));
            } else if (u < 0.7) {
                candidate =
                        "{\"status\":\"error\",\"error\":\"upstream request timeout\"}"
                                .getBytes(StandardCharsets.UTF_8);
            } else {
                candidate = new byte[(int) dice.between(8, 64)];
                candidate[0] = (byte) dice.between(0x01, 0x7F);
                for (int i = 1; i < candidate.length; i++) {
                    candidate[i] = (byte) dice.index(256);
                }
            }
            if (undecodable(candidate)) {
                return candidate;
            }
        }
        return new byte[] {0x0A};
    }

    private static boolean undecodable(byte[] body) {
        try {
            RemoteWriteCodec.decode(body);
            return false;
        } catch (RemoteWriteFormatException e) {
            return e.reason() == RemoteWriteFormatException.Reason.NOT_SNAPPY
                    || e.reason() == RemoteWriteFormatException.Reason.NOT_PROTOBUF;
        }
    }
}
