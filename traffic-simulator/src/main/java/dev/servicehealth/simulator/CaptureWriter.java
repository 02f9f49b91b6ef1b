package dev.servicehealth.simulator;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes records to a capture directory in the {@link CaptureFormat} layout, so that {@link
 * CaptureReader} gives back exactly the same records in the same order. Files are created on first
 * use and truncated if they exist. JSON-topic values must not contain a line feed and keys must be
 * printable ASCII without tabs: both hold for everything the simulator produces, and anything else
 * is rejected rather than written ambiguously.
 */
public final class CaptureWriter implements RecordSink {

    private final Path directory;
    private final Set<String> binaryTopics;
    private final Map<String, OutputStream> values = new LinkedHashMap<>();
    private final Map<String, OutputStream> indexes = new LinkedHashMap<>();
    private final Map<String, DataOutputStream> frames = new LinkedHashMap<>();
    private final Map<String, Long> counts = new TreeMap<>();
    private long sequence;

    /**
     * @param binaryTopics topics written as frames; all others are JSON lines
     */
    public CaptureWriter(Path directory, Set<String> binaryTopics) throws IOException {
        this.directory = Files.createDirectories(directory);
        this.binaryTopics = Set.copyOf(binaryTopics);
    }

    /** A writer for a simulator's topics: the metrics topic as frames, the rest as JSON lines. */
    public static CaptureWriter forTopics(Path directory, TopicNames topics) throws IOException {
        Set<String> binary = new HashSet<>();
        for (RawTopic topic : RawTopic.values()) {
            if (!topic.jsonLines()) {
                binary.add(topics.name(topic));
            }
        }
        return new CaptureWriter(directory, binary);
    }

    @Override
    public void send(CapturedRecord record) throws IOException {
        String topic = record.topic();
        if (binaryTopics.contains(topic)) {
            DataOutputStream out = frames(topic);
            out.writeLong(sequence);
            out.writeLong(record.timestampMs());
            if (record.key() == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(record.key().length);
                out.write(record.key());
            }
            out.writeInt(record.value().length);
            out.write(record.value());
        } else {
            for (byte b : record.value()) {
                if (b == '\n') {
                    throw new IllegalArgumentException(
                            "a JSON-lines value contains a line feed: " + record);
                }
            }
            String key = record.key() == null ? "" : printableKey(record);
            OutputStream value = stream(values, topic + CaptureFormat.JSON_LINES, topic);
            OutputStream index = stream(indexes, topic + CaptureFormat.INDEX, topic);
            value.write(record.value());
            value.write('\n');
            index.write(
                    (sequence + "\t" + record.timestampMs() + "\t" + key + "\n")
                            .getBytes(StandardCharsets.US_ASCII));
        }
        sequence++;
        counts.merge(topic, 1L, Long::sum);
    }

    private static String printableKey(CapturedRecord record) {
        for (byte b : record.key()) {
            if (b < 0x21 || b > 0x7E) {
                throw new IllegalArgumentException(
                        "keys must be printable ASCII without blanks: " + record);
            }
        }
        if (record.key().length == 0) {
            throw new IllegalArgumentException("an empty key cannot be told from no key");
        }
        return new String(record.key(), StandardCharsets.US_ASCII);
    }

    @Override
    public Map<String, Long> flush() throws IOException {
        for (OutputStream out : values.values()) {
            out.flush();
        }
        for (OutputStream out : indexes.values()) {
            out.flush();
        }
        for (OutputStream out : frames.values()) {
            out.flush();
        }
        return Map.copyOf(counts);
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Map<String, ? extends OutputStream> streams : List.of(values, indexes, frames)) {
            for (OutputStream out : streams.values()) {
                try {
                    out.close();
                } catch (IOException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private OutputStream stream(Map<String, OutputStream> streams, String fileName, String topic)
            throws IOException {
        OutputStream out = streams.get(topic);
        if (out == null) {
            out = open(fileName);
            streams.put(topic, out);
        }
        return out;
    }

    private DataOutputStream frames(String topic) throws IOException {
        DataOutputStream out = frames.get(topic);
        if (out == null) {
            out = new DataOutputStream(open(topic + CaptureFormat.FRAMES));
            out.write(CaptureFormat.FRAMES_MAGIC);
            frames.put(topic, out);
        }
        return out;
    }

    private OutputStream open(String fileName) throws IOException {
        return new BufferedOutputStream(
                Files.newOutputStream(directory.resolve(fileName)), 1 << 16);
    }
}
