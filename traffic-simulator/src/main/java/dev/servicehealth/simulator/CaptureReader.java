package dev.servicehealth.simulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.stream.Stream;

/**
 * Reads a capture directory back as records, in order: by timestamp, then by the capture's global
 * sequence, so a directory written by {@link CaptureWriter} yields exactly the records written, in
 * the same order.
 *
 * <p>Also reads JSON-lines files captured elsewhere ({@code <topic>.jsonl} or {@code
 * <topic>.ndjson} without an index): their records have no key and take their timestamp from the
 * line's own {@code timestamp}/{@code ts}/{@code @timestamp}/{@code time} field (epoch millis,
 * epoch seconds or ISO-8601), or the previous line's when it has none. Each file is replayed in its
 * own order; files are merged by timestamp.
 */
public final class CaptureReader implements Iterator<CapturedRecord>, Closeable {

    private interface Source extends Closeable {
        /** The next record and its sequence, or null at the end. */
        Positioned next() throws IOException;
    }

    private record Positioned(CapturedRecord record, long sequence, int source) {}

    private static final Comparator<Positioned> ORDER =
            Comparator.<Positioned>comparingLong(p -> p.record().timestampMs())
                    .thenComparingLong(Positioned::sequence)
                    .thenComparingInt(Positioned::source);

    private static final JsonFactory JSON = new JsonFactory();

    private final List<Source> sources = new ArrayList<>();
    private final PriorityQueue<Positioned> heads = new PriorityQueue<>(ORDER);

    private CaptureReader(Path directory) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.sorted().toList();
        }
        try {
            for (Path file : files) {
                String name = file.getFileName().toString();
                int index = sources.size();
                if (name.endsWith(CaptureFormat.FRAMES)) {
                    sources.add(new FramesSource(file, strip(name, CaptureFormat.FRAMES), index));
                } else if (name.endsWith(CaptureFormat.JSON_LINES) || name.endsWith(".ndjson")) {
                    String suffix =
                            name.endsWith(CaptureFormat.JSON_LINES)
                                    ? CaptureFormat.JSON_LINES
                                    : ".ndjson";
                    String topic = strip(name, suffix);
                    Path indexFile = directory.resolve(topic + CaptureFormat.INDEX);
                    sources.add(
                            new LinesSource(
                                    file,
                                    Files.exists(indexFile) ? indexFile : null,
                                    topic,
                                    index));
                }
            }
            for (Source source : sources) {
                Positioned first = source.next();
                if (first != null) {
                    heads.add(first);
                }
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        if (sources.isEmpty()) {
            throw new IOException("no capture files (*.jsonl, *.ndjson, *.frames) in " + directory);
        }
    }

    /** Opens the directory; the caller closes the reader. */
    public static CaptureReader open(Path directory) throws IOException {
        return new CaptureReader(directory);
    }

    /** Reads a whole (small) capture into memory. */
    public static List<CapturedRecord> readAll(Path directory) throws IOException {
        try (CaptureReader reader = open(directory)) {
            List<CapturedRecord> records = new ArrayList<>();
            reader.forEachRemaining(records::add);
            return records;
        }
    }

    @Override
    public boolean hasNext() {
        return !heads.isEmpty();
    }

    /**
     * @throws UncheckedIOException if a file cannot be read or is corrupt
     */
    @Override
    public CapturedRecord next() {
        Positioned head = heads.poll();
        if (head == null) {
            throw new NoSuchElementException();
        }
        try {
            Positioned following = sources.get(head.source()).next();
            if (following != null) {
                heads.add(following);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return head.record();
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Source source : sources) {
            try {
                source.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static String strip(String name, String suffix) {
        return name.substring(0, name.length() - suffix.length());
    }

    /** A {@code .jsonl} file, with its index when the simulator wrote it. */
    private static final class LinesSource implements Source {
        private final InputStream values;
        private final BufferedReader index;
        private final String topic;
        private final int source;
        private final Path file;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);
        private long lineNumber;
        private long lastTimestamp;

        LinesSource(Path file, Path indexFile, String topic, int source) throws IOException {
            this.file = file;
            this.values = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            this.index =
                    indexFile == null
                            ? null
                            : Files.newBufferedReader(indexFile, StandardCharsets.US_ASCII);
            this.topic = topic;
            this.source = source;
        }

        @Override
        public Positioned next() throws IOException {
            byte[] value = readLine();
            if (value == null) {
                return null;
            }
            lineNumber++;
            if (index == null) {
                lastTimestamp = timestampOf(value, lastTimestamp);
                return new Positioned(
                        new CapturedRecord(topic, null, value, lastTimestamp), lineNumber, source);
            }
            String entry = index.readLine();
            String[] parts = entry == null ? new String[0] : entry.split("\t", -1);
            if (parts.length != 3) {
                throw new IOException(file + ": index has no valid entry for line " + lineNumber);
            }
            byte[] key = parts[2].isEmpty() ? null : parts[2].getBytes(StandardCharsets.US_ASCII);
            return new Positioned(
                    new CapturedRecord(topic, key, value, Long.parseLong(parts[1])),
                    Long.parseLong(parts[0]),
                    source);
        }

        /** The bytes up to the next line feed; a final line without one counts if not empty. */
        private byte[] readLine() throws IOException {
            line.reset();
            int b;
            while ((b = values.read()) != -1) {
                if (b == '\n') {
                    return withoutCarriageReturn(line.toByteArray());
                }
                line.write(b);
            }
            return line.size() == 0 ? null : withoutCarriageReturn(line.toByteArray());
        }

        private static byte[] withoutCarriageReturn(byte[] bytes) {
            return bytes.length > 0 && bytes[bytes.length - 1] == '\r'
                    ? Arrays.copyOf(bytes, bytes.length - 1)
                    : bytes;
        }

        @Override
        public void close() throws IOException {
            try {
                values.close();
            } finally {
                if (index != null) {
                    index.close();
                }
            }
        }
    }

    /** A {@code .frames} file of binary values. */
    private static final class FramesSource implements Source {
        private final DataInputStream in;
        private final String topic;
        private final int source;

        FramesSource(Path file, String topic, int source) throws IOException {
            this.in =
                    new DataInputStream(
                            new BufferedInputStream(Files.newInputStream(file), 1 << 16));
            this.topic = topic;
            this.source = source;
            byte[] magic = new byte[CaptureFormat.FRAMES_MAGIC.length];
            try {
                in.readFully(magic);
            } catch (EOFException e) {
                in.close();
                throw new IOException(file + " is too short to be a frames file", e);
            }
            if (!Arrays.equals(magic, CaptureFormat.FRAMES_MAGIC)) {
                in.close();
                throw new IOException(file + " does not start with the frames magic");
            }
        }

        @Override
        public Positioned next() throws IOException {
            long sequence;
            try {
                sequence = in.readLong();
            } catch (EOFException end) {
                return null;
            }
            long timestamp = in.readLong();
            int keyLength = in.readInt();
            byte[] key = null;
            if (keyLength >= 0) {
                key = new byte[keyLength];
                in.readFully(key);
            }
            byte[] value = new byte[in.readInt()];
            in.readFully(value);
            return new Positioned(
                    new CapturedRecord(topic, key, value, timestamp), sequence, source);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /**
     * The event time of a foreign line, as the data model spells timestamps, or {@code fallback}
     * when the line has none that parses.
     */
    static long timestampOf(byte[] line, long fallback) {
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return fallback;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("timestamp")
                        || name.equals("ts")
                        || name.equals("@timestamp")
                        || name.equals("time")) {
                    Long parsed = parseTimestamp(value, parser.getText());
                    if (parsed != null) {
                        return parsed;
                    }
                }
                parser.skipChildren();
            }
            return fallback;
        } catch (IOException e) {
            return fallback;
        }
    }

    private static Long parseTimestamp(JsonToken token, String text) {
        if (token != JsonToken.VALUE_NUMBER_INT
                && token != JsonToken.VALUE_NUMBER_FLOAT
                && token != JsonToken.VALUE_STRING) {
            return null;
        }
        try {
            double number = Double.parseDouble(text);
            return number < 1e11 ? Math.round(number * 1000) : (long) number;
        } catch (NumberFormatException notNumeric) {
            try {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (DateTimeParseException notIso) {
                return null;
            }
        }
    }
}
