package dev.servicehealth.model;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * The strings that repeat from event to event (zones, products, services, endpoints, tokens,
 * agents), decoded once and then found by their bytes: a bounded, direct-mapped table, one per
 * decoding thread. A hit costs a hash and a comparison of the bytes instead of a UTF-8 decode and a
 * new string, and hands out the same instance every time, so the consumers' hash maps find its hash
 * code cached and compare it by reference. A miss decodes (and validates) as protobuf does and
 * takes the slot.
 */
final class RepeatedStrings {
    /**
     * Slots; a power of two. At most this many strings of up to {@link #LONGEST} bytes are held.
     */
    private static final int SLOTS = 4096;

    private static final int LONGEST = 256;

    private final byte[][] bytes = new byte[SLOTS][];
    private final String[] strings = new String[SLOTS];

    /**
     * Reads the length-delimited string field whose tag {@code in} just read; {@code in} reads
     * {@code buffer} from its start.
     */
    String read(byte[] buffer, CodedInputStream in) throws IOException {
        int position = in.getTotalBytesRead();
        int length = 0;
        int shift = 0;
        int from = position;
        boolean complete = false;
        while (!complete && from < buffer.length && shift < 32) {
            byte b = buffer[from++];
            length |= (b & 0x7f) << shift;
            complete = b >= 0;
            shift += 7;
        }
        if (!complete || length < 0 || length > LONGEST || from + length > buffer.length) {
            // long, cut off or malformed: protobuf reads it, and says what is wrong
            return in.readStringRequireUtf8();
        }
        int hash = 1;
        for (int i = from; i < from + length; i++) {
            hash = 31 * hash + buffer[i];
        }
        int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        byte[] known = bytes[slot];
        if (known != null && Arrays.equals(known, 0, known.length, buffer, from, from + length)) {
            in.skipRawBytes(from - position + length);
            return strings[slot];
        }
        String decoded = in.readStringRequireUtf8();
        bytes[slot] = Arrays.copyOfRange(buffer, from, from + length);
        strings[slot] = decoded;
        return decoded;
    }
}
