package dev.servicehealth.simulator;

import java.nio.charset.StandardCharsets;

/**
 * The capture directory layout, shared by {@link CaptureWriter} and {@link CaptureReader}:
 *
 * <ul>
 *   <li>{@code <topic>.jsonl}: the values of a JSON topic, one per line, byte for byte as produced
 *       (an empty record is an empty line);
 *   <li>{@code <topic>.index}: one line per value line, {@code sequence TAB timestampMs TAB key},
 *       the key empty when there is none;
 *   <li>{@code <topic>.frames}: binary values (remote-write bodies): the magic {@code SHF1}, then
 *       per record big-endian {@code int64 sequence, int64 timestampMs, int32 keyLength (-1: no
 *       key), key, int32 valueLength, value}.
 * </ul>
 *
 * The sequence is global over the directory, so a replay restores the exact cross-topic order.
 */
final class CaptureFormat {
    static final String JSON_LINES = ".jsonl";
    static final String INDEX = ".index";
    static final String FRAMES = ".frames";
    static final byte[] FRAMES_MAGIC = "SHF1".getBytes(StandardCharsets.US_ASCII);

    private CaptureFormat() {}
}
