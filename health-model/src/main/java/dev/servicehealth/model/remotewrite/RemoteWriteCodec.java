package dev.servicehealth.model.remotewrite;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.servicehealth.model.remotewrite.RemoteWriteFormatException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xerial.snappy.Snappy;

/**
 * Encodes and decodes Prometheus remote-write 1.0 bodies: a protobuf {@code WriteRequest},
 * compressed as one snappy block (not the framed snappy stream format).
 *
 * <p>Decoding reads the wire format directly with {@link CodedInputStream}, so no generated code is
 * involved. The subset of {@code prometheus.WriteRequest} it understands:
 *
 * <pre>
 * WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2;
 *                repeated Exemplar exemplars = 3; repeated Histogram histograms = 4; }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }
 * </pre>
 *
 * <p>Guarantees of {@link #decode}: it either returns every series of the request or throws a
 * {@link RemoteWriteFormatException}; it never returns a partial request. Metadata, exemplars and
 * unknown fields are skipped. A label with an empty value is dropped, because Prometheus treats it
 * as absent. A series with native histograms is rejected rather than ingested without them. It
 * allocates at most the limit given for the uncompressed body, checked against the snappy header
 * before any allocation, so a small body cannot make it allocate gigabytes.
 */
public final class RemoteWriteCodec {

    /** Default limit for the uncompressed size of one request. Prometheus sends far less. */
    public static final int DEFAULT_MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024;

    private static final int WRITE_REQUEST_TIMESERIES = 1;
    private static final int TIME_SERIES_LABELS = 1;
    private static final int TIME_SERIES_SAMPLES = 2;
    private static final int TIME_SERIES_HISTOGRAMS = 4;
    private static final int LABEL_NAME = 1;
    private static final int LABEL_VALUE = 2;
    private static final int SAMPLE_VALUE = 1;
    private static final int SAMPLE_TIMESTAMP = 2;

    /** A snappy block header is the uncompressed length as a varint of at most 32 bits. */
    private static final int MAX_SNAPPY_HEADER_BYTES = 5;

    private RemoteWriteCodec() {}

    /** Encodes {@code series} as Prometheus sends them: a snappy-compressed WriteRequest. */
    public static byte[] encode(List<PromSeries> series) {
        int size = 0;
        for (PromSeries one : series) {
            size += lengthDelimitedSize(WRITE_REQUEST_TIMESERIES, timeSeriesSize(one));
        }
        byte[] proto = new byte[size];
        CodedOutputStream out = CodedOutputStream.newInstance(proto);
        try {
            for (PromSeries one : series) {
                writeTimeSeries(out, one);
            }
            out.checkNoSpaceLeft();
            return Snappy.compress(proto);
        } catch (IOException e) {
            // Writing into a correctly sized array cannot fail; snappy fails only if native
            // code is broken, which no caller can handle.
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes a body with the {@link #DEFAULT_MAX_UNCOMPRESSED_BYTES default size limit}. */
    public static List<PromSeries> decode(byte[] body) throws RemoteWriteFormatException {
        return decode(body, DEFAULT_MAX_UNCOMPRESSED_BYTES);
    }

    /**
     * Decodes a remote-write 1.0 body into its series, in request order.
     *
     * @param maxUncompressedBytes bodies declaring more uncompressed bytes are rejected unread
     * @throws RemoteWriteFormatException if the body can never be decoded; the reason says why
     */
    public static List<PromSeries> decode(byte[] body, int maxUncompressedBytes)
            throws RemoteWriteFormatException {
        byte[] proto = new byte[declaredUncompressedLength(body, maxUncompressedBytes)];
        try {
            Snappy.uncompress(body, 0, body.length, proto, 0);
        } catch (IOException e) {
            throw new RemoteWriteFormatException(Reason.NOT_SNAPPY, e.getMessage());
        }
        try {
            return readWriteRequest(CodedInputStream.newInstance(proto));
        } catch (IOException e) {
            throw new RemoteWriteFormatException(Reason.NOT_PROTOBUF, e.getMessage());
        }
    }

    /**
     * Checks, without decompressing, that {@code body} is one complete and valid snappy block whose
     * uncompressed size is within {@code maxUncompressedBytes}. It does not look at the protobuf
     * inside: a receiver can use it to refuse bodies that can never be decoded while leaving the
     * decoding to later stages.
     *
     * @return the uncompressed length declared by the snappy header
     * @throws RemoteWriteFormatException with {@link Reason#NOT_SNAPPY} or {@link
     *     Reason#UNCOMPRESSED_TOO_LARGE}
     */
    public static int checkSnappyBlock(byte[] body, int maxUncompressedBytes)
            throws RemoteWriteFormatException {
        int length = declaredUncompressedLength(body, maxUncompressedBytes);
        boolean valid;
        try {
            valid = Snappy.isValidCompressedBuffer(body, 0, body.length);
        } catch (IOException e) {
            valid = false;
        }
        if (!valid) {
            throw new RemoteWriteFormatException(
                    Reason.NOT_SNAPPY,
                    "corrupt or truncated snappy block of " + body.length + " bytes");
        }
        return length;
    }

    /**
     * Reads the snappy header ourselves rather than through the native library, so that the limit
     * is enforced before anything of the declared size is allocated.
     */
    private static int declaredUncompressedLength(byte[] body, int maxUncompressedBytes)
            throws RemoteWriteFormatException {
        long length = 0;
        for (int i = 0; i < MAX_SNAPPY_HEADER_BYTES; i++) {
            if (i >= body.length) {
                throw new RemoteWriteFormatException(
                        Reason.NOT_SNAPPY,
                        "body of " + body.length + " bytes ends inside the header");
            }
            int b = body[i] & 0xFF;
            length |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (length > maxUncompressedBytes) {
                    throw new RemoteWriteFormatException(
                            Reason.UNCOMPRESSED_TOO_LARGE,
                            "header declares "
                                    + length
                                    + " bytes, limit is "
                                    + maxUncompressedBytes);
                }
                return (int) length;
            }
        }
        throw new RemoteWriteFormatException(Reason.NOT_SNAPPY, "header longer than 5 bytes");
    }

    private static List<PromSeries> readWriteRequest(CodedInputStream in)
            throws IOException, RemoteWriteFormatException {
        List<PromSeries> series = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == WRITE_REQUEST_TIMESERIES) {
                int outer = enterMessage(in, tag, "WriteRequest.timeseries");
                series.add(readTimeSeries(in, series.size()));
                in.popLimit(outer);
            } else {
                skip(in, tag);
            }
        }
        return series;
    }

    private static PromSeries readTimeSeries(CodedInputStream in, int index)
            throws IOException, RemoteWriteFormatException {
        TreeMap<String, String> labels = new TreeMap<>();
        List<PromSample> samples = new ArrayList<>();
        int histograms = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case TIME_SERIES_LABELS -> {
                    int outer = enterMessage(in, tag, "TimeSeries.labels");
                    readLabel(in, labels, index);
                    in.popLimit(outer);
                }
                case TIME_SERIES_SAMPLES -> {
                    int outer = enterMessage(in, tag, "TimeSeries.samples");
                    samples.add(readSample(in));
                    in.popLimit(outer);
                }
                case TIME_SERIES_HISTOGRAMS -> {
                    requireWireType(
                            tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TimeSeries.histograms");
                    in.skipField(tag);
                    histograms++;
                }
                default -> skip(in, tag);
            }
        }
        if (!labels.containsKey(PromSeries.METRIC_NAME_LABEL)) {
            throw new RemoteWriteFormatException(
                    Reason.MISSING_METRIC_NAME, "series #" + index + " " + labels);
        }
        if (histograms > 0) {
            throw new RemoteWriteFormatException(
                    Reason.NATIVE_HISTOGRAM_UNSUPPORTED,
                    "series #" + index + " " + labels + " carries " + histograms + " histogram(s)");
        }
        return new PromSeries(labels, samples);
    }

    private static void readLabel(CodedInputStream in, Map<String, String> labels, int index)
            throws IOException, RemoteWriteFormatException {
        String name = "";
        String value = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case LABEL_NAME -> {
                    requireWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "Label.name");
                    name = in.readStringRequireUtf8();
                }
                case LABEL_VALUE -> {
                    requireWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "Label.value");
                    value = in.readStringRequireUtf8();
                }
                default -> skip(in, tag);
            }
        }
        if (name.isEmpty()) {
            throw new RemoteWriteFormatException(
                    Reason.INVALID_LABEL, "series #" + index + " has a label with an empty name");
        }
        if (labels.containsKey(name)) {
            throw new RemoteWriteFormatException(
                    Reason.DUPLICATE_LABEL, "series #" + index + " repeats label " + name);
        }
        if (!value.isEmpty()) {
            labels.put(name, value);
        }
    }

    private static PromSample readSample(CodedInputStream in)
            throws IOException, RemoteWriteFormatException {
        // Proto3 omits fields that hold their default, so an absent field means 0.
        double value = 0;
        long timestampMs = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case SAMPLE_VALUE -> {
                    requireWireType(tag, WireFormat.WIRETYPE_FIXED64, "Sample.value");
                    value = in.readDouble();
                }
                case SAMPLE_TIMESTAMP -> {
                    requireWireType(tag, WireFormat.WIRETYPE_VARINT, "Sample.timestamp");
                    timestampMs = in.readInt64();
                }
                default -> skip(in, tag);
            }
        }
        return new PromSample(timestampMs, value);
    }

    /** Narrows the stream to one embedded message; returns the limit to restore afterwards. */
    private static int enterMessage(CodedInputStream in, int tag, String field)
            throws IOException, RemoteWriteFormatException {
        requireWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
        return in.pushLimit(in.readRawVarint32());
    }

    /**
     * A known field with another wire type is a schema mismatch or random bytes; treating it as
     * unknown (as generated parsers do) would turn garbage into an empty, "valid" request.
     */
    private static void requireWireType(int tag, int expected, String field)
            throws RemoteWriteFormatException {
        int actual = WireFormat.getTagWireType(tag);
        if (actual != expected) {
            throw new RemoteWriteFormatException(
                    Reason.NOT_PROTOBUF,
                    field + " has wire type " + actual + ", expected " + expected);
        }
    }

    private static void skip(CodedInputStream in, int tag)
            throws IOException, RemoteWriteFormatException {
        if (!in.skipField(tag)) {
            throw new RemoteWriteFormatException(Reason.NOT_PROTOBUF, "unmatched end-group tag");
        }
    }

    private static void writeTimeSeries(CodedOutputStream out, PromSeries series)
            throws IOException {
        writeHeader(out, WRITE_REQUEST_TIMESERIES, timeSeriesSize(series));
        for (Map.Entry<String, String> label : series.labels().entrySet()) {
            writeHeader(out, TIME_SERIES_LABELS, labelSize(label));
            out.writeString(LABEL_NAME, label.getKey());
            out.writeString(LABEL_VALUE, label.getValue());
        }
        for (PromSample sample : series.samples()) {
            writeHeader(out, TIME_SERIES_SAMPLES, sampleSize(sample));
            out.writeDouble(SAMPLE_VALUE, sample.value());
            out.writeInt64(SAMPLE_TIMESTAMP, sample.timestampMs());
        }
    }

    private static void writeHeader(CodedOutputStream out, int field, int length)
            throws IOException {
        out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(length);
    }

    private static int timeSeriesSize(PromSeries series) {
        int size = 0;
        for (Map.Entry<String, String> label : series.labels().entrySet()) {
            size += lengthDelimitedSize(TIME_SERIES_LABELS, labelSize(label));
        }
        for (PromSample sample : series.samples()) {
            size += lengthDelimitedSize(TIME_SERIES_SAMPLES, sampleSize(sample));
        }
        return size;
    }

    private static int labelSize(Map.Entry<String, String> label) {
        return CodedOutputStream.computeStringSize(LABEL_NAME, label.getKey())
                + CodedOutputStream.computeStringSize(LABEL_VALUE, label.getValue());
    }

    private static int sampleSize(PromSample sample) {
        return CodedOutputStream.computeDoubleSize(SAMPLE_VALUE, sample.value())
                + CodedOutputStream.computeInt64Size(SAMPLE_TIMESTAMP, sample.timestampMs());
    }

    private static int lengthDelimitedSize(int field, int length) {
        return CodedOutputStream.computeTagSize(field)
                + CodedOutputStream.computeUInt32SizeNoTag(length)
                + length;
    }
}
