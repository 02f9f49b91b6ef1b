package dev.servicehealth.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A reusable writer of one flat JSON object on one line, straight into a UTF-8 byte buffer: no
 * reflection, no per-field objects and one copy per line, which keeps a million lines within a few
 * seconds. Strings are escaped per RFC 8259, so the output never contains a raw line break.
 */
final class JsonLine {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private byte[] buffer = new byte[512];
    private int length;
    private boolean firstField;

    JsonLine begin() {
        length = 0;
        put('{');
        firstField = true;
        return this;
    }

    JsonLine name(String name) {
        if (!firstField) {
            put(',');
        }
        firstField = false;
        string(name);
        put(':');
        return this;
    }

    JsonLine string(String value) {
        int n = value.length();
        ensure(n + 2);
        byte[] out = buffer;
        int at = length;
        out[at++] = '"';
        // Fast path for the plain ASCII that nearly every value is; leave it at the first
        // character that needs escaping or encoding.
        int i = 0;
        for (; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
                break;
            }
            out[at++] = (byte) c;
        }
        length = at;
        for (; i < n; i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                put('\\');
                put(c);
            } else if (c < 0x20) {
                escapeControl(c);
            } else if (c < 0x80) {
                put(c);
            } else {
                int codePoint = value.codePointAt(i);
                if (Character.isSupplementaryCodePoint(codePoint)) {
                    i++;
                }
                putUtf8(codePoint);
            }
        }
        put('"');
        return this;
    }

    JsonLine number(long value) {
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                return ascii(Long.toString(value));
            }
            put('-');
            value = -value;
        }
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        ensure(digits);
        for (int at = length + digits - 1; at >= length; at--) {
            buffer[at] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += digits;
        return this;
    }

    /** A non-negative decimal with one fractional digit, given in tenths: 125 is {@code 12.5}. */
    JsonLine tenths(long tenths) {
        number(tenths / 10);
        put('.');
        put((char) ('0' + tenths % 10));
        return this;
    }

    JsonLine quotedNumber(long value) {
        put('"');
        number(value);
        put('"');
        return this;
    }

    JsonLine quotedTenths(long tenths) {
        put('"');
        tenths(tenths);
        put('"');
        return this;
    }

    /** Epoch seconds of a millisecond instant that is a multiple of 250 ms, e.g. {@code 17.25}. */
    JsonLine epochSeconds(long epochMs) {
        number(epochMs / 1000);
        switch ((int) (epochMs % 1000)) {
            case 0 -> {}
            case 250 -> ascii(".25");
            case 500 -> ascii(".5");
            case 750 -> ascii(".75");
            default -> throw new IllegalArgumentException(epochMs + " is not on a 250 ms grid");
        }
        return this;
    }

    /** Already-encoded JSON (ASCII), e.g. a deliberately invalid value. */
    JsonLine raw(String json) {
        return ascii(json);
    }

    byte[] end() {
        put('}');
        return Arrays.copyOf(buffer, length);
    }

    private JsonLine ascii(String text) {
        for (int i = 0; i < text.length(); i++) {
            put(text.charAt(i));
        }
        return this;
    }

    private void escapeControl(char c) {
        switch (c) {
            case '\n' -> {
                put('\\');
                put('n');
            }
            case '\r' -> {
                put('\\');
                put('r');
            }
            case '\t' -> {
                put('\\');
                put('t');
            }
            default -> {
                put('\\');
                put('u');
                put('0');
                put('0');
                putByte(HEX[c >> 4]);
                putByte(HEX[c & 0xF]);
            }
        }
    }

    private void putUtf8(int codePoint) {
        if (codePoint < 0x800) {
            putByte((byte) (0xC0 | codePoint >> 6));
        } else if (codePoint < 0x10000) {
            putByte((byte) (0xE0 | codePoint >> 12));
            putByte((byte) (0x80 | (codePoint >> 6 & 0x3F)));
        } else {
            putByte((byte) (0xF0 | codePoint >> 18));
            putByte((byte) (0x80 | (codePoint >> 12 & 0x3F)));
            putByte((byte) (0x80 | (codePoint >> 6 & 0x3F)));
        }
        putByte((byte) (0x80 | (codePoint & 0x3F)));
    }

    private void put(char asciiChar) {
        putByte((byte) asciiChar);
    }

    private void putByte(byte b) {
        ensure(1);
        buffer[length++] = b;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
