package dev.servicehealth.model.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.servicehealth.model.remotewrite.RemoteWriteFormatException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class RemoteWriteCodecTest {

    /** The NaN Prometheus writes to mark a series as stale; its payload must survive. */
    private static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private static final PromSeries UP =
            new PromSeries(
                    Map.of("__name__", "up", "job", "prometheus", "region", "EMEA"),
                    List.of(new PromSample(T0, 1.0), new PromSample(T0 + 1_000, 0.0)));

    private static final PromSeries LATENCY =
            new PromSeries(
                    Map.of("__name__", "http_latency_seconds_sum", "service", "core-api"),
                    List.of(
                            new PromSample(T0, 12.5),
                            new PromSample(T0 + 1_000, Double.POSITIVE_INFINITY),
                            new PromSample(T0 + 2_000, STALE_NAN),
                            new PromSample(-1, -0.25)));

    @Test
    void roundTripKeepsSeriesLabelsAndSamplesInOrder() throws Exception {
        List<PromSeries> decoded =
                RemoteWriteCodec.decode(RemoteWriteCodec.encode(List.of(UP, LATENCY)));

        assertThat(decoded).containsExactly(UP, LATENCY);
        assertThat(decoded.get(0).labels().keySet()).containsExactly("__name__", "job", "region");
        assertThat(Double.doubleToRawLongBits(decoded.get(1).samples().get(2).value()))
                .isEqualTo(0x7ff0000000000002L);
    }

    @Test
    void roundTripOfEmptyRequestIsEmpty() throws Exception {
        assertThat(RemoteWriteCodec.decode(RemoteWriteCodec.encode(List.of()))).isEmpty();
    }

    @Test
    void encodesAsSnappyBlockAroundProtobuf() throws Exception {
        byte[] body = RemoteWriteCodec.encode(List.of(UP));

        byte[] proto = Snappy.uncompress(body);
        assertThat(proto[0]).isEqualTo((byte) 0x0A); // field 1, length-delimited: timeseries
        assertThat(RemoteWriteCodec.checkSnappyBlock(body, 1024)).isEqualTo(proto.length);
    }

    @Test
    void decodesBodyBuiltByAnIndependentEncoder() throws Exception {
        // Hand-built the way Prometheus' gogo-protobuf marshaller writes it: labels sorted,
        // zero-valued fields omitted, metadata after the series. Compressed with a literal-only
        // snappy writer, so neither our encoder nor snappy-java's compressor is involved.
        byte[] upSeries =
                message(
                        lengthDelimited(1, label("__name__", "up")),
                        lengthDelimited(1, label("instance", "127.0.0.1:9090")),
                        lengthDelimited(1, label("region", "EMEA")),
                        lengthDelimited(2, sample(1.0, T0)),
                        lengthDelimited(2, sample(0.0, T0 + 1_000)));
        byte[] metadata = message(varint(1, 1), string(2, "up"), string(4, "1 if target is up"));
        byte[] request =
                message(
                        lengthDelimited(1, upSeries),
                        lengthDelimited(1, upSeries),
                        lengthDelimited(3, metadata));

        List<PromSeries> decoded = RemoteWriteCodec.decode(literalOnlySnappy(request));

        PromSeries expected =
                new PromSeries(
                        Map.of("__name__", "up", "instance", "127.0.0.1:9090", "region", "EMEA"),
                        List.of(new PromSample(T0, 1.0), new PromSample(T0 + 1_000, 0.0)));
        assertThat(decoded).containsExactly(expected, expected);
    }

    @Test
    void decodesBodyCapturedFromRealPrometheus() throws Exception {
        // Captured from Prometheus 2.42.0 (Debian) remote-writing its own first scrape, with
        // external labels region=EMEA, service=core-api.
        byte[] body;
        try (InputStream in =
                RemoteWriteCodecTest.class.getResourceAsStream(
                        "prometheus-2.42-self-scrape.snappy")) {
            body = in.readAllBytes();
        }

        List<PromSeries> decoded = RemoteWriteCodec.decode(body);

        assertThat(decoded).hasSize(353);
        assertThat(decoded)
                .allSatisfy(
                        series -> {
                            assertThat(series.labels())
                                    .containsEntry("region", "EMEA")
                                    .containsEntry("service", "core-api")
                                    .containsEntry("job", "prometheus");
                            assertThat(series.samples()).hasSize(1);
                        });
        assertThat(decoded)
                .filteredOn(series -> series.metricName().equals("up"))
                .singleElement()
                .satisfies(
                        up ->
                                assertThat(up.samples())
                                        .containsExactly(new PromSample(1_795_307_917_498L, 1.0)));
        assertThat(RemoteWriteCodec.decode(RemoteWriteCodec.encode(decoded))).isEqualTo(decoded);
    }

    @Test
    void skipsUnknownFieldsOfEveryWireTypeAtEveryLevel() throws Exception {
        byte[] request =
                message(
                        varint(15, 42),
                        lengthDelimited(
                                1,
                                message(
                                        fixed32(9, 7),
                                        lengthDelimited(
                                                1,
                                                message(label("__name__", "up"), string(7, "x"))),
                                        lengthDelimited(3, message(varint(1, 1))), // exemplar
                                        group(11, varint(1, 5)),
                                        lengthDelimited(
                                                2, message(sample(1.0, T0), fixed64(5, 3))))),
                        string(1000, "future field"));

        assertThat(RemoteWriteCodec.decode(Snappy.compress(request)))
                .containsExactly(
                        new PromSeries(Map.of("__name__", "up"), List.of(new PromSample(T0, 1.0))));
    }

    @Test
    void rejectsTruncatedBodyAtEveryLength() {
        byte[] body = RemoteWriteCodec.encode(List.of(UP, LATENCY));

        for (int length = 0; length < body.length; length++) {
            byte[] truncated = Arrays.copyOf(body, length);
            assertThatThrownBy(() -> RemoteWriteCodec.decode(truncated))
                    .as("truncated to %d of %d bytes", length, body.length)
                    .isInstanceOfSatisfying(
                            RemoteWriteFormatException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.NOT_SNAPPY));
            assertThatThrownBy(() -> RemoteWriteCodec.checkSnappyBlock(truncated, 1 << 20))
                    .isInstanceOf(RemoteWriteFormatException.class);
        }
    }

    @Test
    void rejectsTruncatedProtobufInsideValidSnappy() throws Exception {
        byte[] proto = Snappy.uncompress(RemoteWriteCodec.encode(List.of(UP)));
        byte[] body = Snappy.compress(Arrays.copyOf(proto, proto.length - 3));

        assertReason(body, Reason.NOT_PROTOBUF);
    }

    @Test
    void rejectsBodiesThatAreNotSnappy() throws Exception {
        byte[] proto = Snappy.uncompress(RemoteWriteCodec.encode(List.of(UP)));
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
            out.write(proto);
        }

        assertReason(proto, Reason.NOT_SNAPPY); // a sender that forgot to compress
        assertReason(gzip.toByteArray(), Reason.NOT_SNAPPY);
        assertReason("up{region=\"EMEA\"} 1".getBytes(StandardCharsets.UTF_8), Reason.NOT_SNAPPY);
        assertReason(new byte[0], Reason.NOT_SNAPPY);
        assertReason(new byte[] {(byte) 0x80, (byte) 0x80}, Reason.NOT_SNAPPY);
    }

    @Test
    void rejectsGarbageProtobuf() throws Exception {
        byte[][] garbage = {
            "hello world".getBytes(StandardCharsets.UTF_8), // ends in an invalid wire type
            {0x0A, 0x7F, 0x01}, // a series longer than the request
            {0x08, 0x01}, // timeseries field as a varint
            {0x0A, 0x02, 0x12, 0x00}, // a sample-less, label-less series: no metric name
            {0x0A, 0x04, 0x0A, 0x02, 0x0A, (byte) 0xFF}, // label name cut inside
            {0x0C}, // end-group without a start
        };
        for (byte[] proto : garbage) {
            assertThatThrownBy(() -> RemoteWriteCodec.decode(Snappy.compress(proto)))
                    .as("garbage %s", Arrays.toString(proto))
                    .isInstanceOfSatisfying(
                            RemoteWriteFormatException.class,
                            e ->
                                    assertThat(e.reason())
                                            .isIn(Reason.NOT_PROTOBUF, Reason.MISSING_METRIC_NAME));
        }
        assertReason(Snappy.compress(garbage[0]), Reason.NOT_PROTOBUF);
    }

    @Test
    void rejectsInvalidUtf8InLabels() throws Exception {
        byte[] badValue = {0x0A, 0x02, (byte) 0xC3, 0x28};
        byte[] request =
                message(
                        lengthDelimited(
                                1,
                                message(
                                        lengthDelimited(1, label("__name__", "up")),
                                        lengthDelimited(1, message(string(1, "job"), badValue)))));

        assertReason(Snappy.compress(request), Reason.NOT_PROTOBUF);
    }

    @Test
    void rejectsOversizeHeaderBeforeAllocating() throws Exception {
        // A 7-byte body claiming 2^31 - 1 uncompressed bytes: a decompression bomb's header.
        byte[] bomb = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 0x00, 0x00};
        assertReason(bomb, Reason.UNCOMPRESSED_TOO_LARGE);
        assertThatThrownBy(() -> RemoteWriteCodec.checkSnappyBlock(bomb, Integer.MAX_VALUE - 1))
                .hasMessageContaining("UNCOMPRESSED_TOO_LARGE");

        byte[] body = RemoteWriteCodec.encode(List.of(UP));
        int length = Snappy.uncompressedLength(body);
        assertThat(RemoteWriteCodec.decode(body, length)).containsExactly(UP);
        assertThatThrownBy(() -> RemoteWriteCodec.decode(body, length - 1))
                .hasMessageContaining("UNCOMPRESSED_TOO_LARGE");
    }

    @Test
    void rejectsSeriesWithoutMetricName() throws Exception {
        byte[] request =
                message(
                        lengthDelimited(
                                1,
                                message(
                                        lengthDelimited(1, label("__name__", "")),
                                        lengthDelimited(1, label("job", "x")))));

        assertReason(Snappy.compress(request), Reason.MISSING_METRIC_NAME);
    }

    @Test
    void dropsLabelsWithEmptyValueLikePrometheus() throws Exception {
        byte[] request =
                message(
                        lengthDelimited(
                                1,
                                message(
                                        lengthDelimited(1, label("__name__", "up")),
                                        lengthDelimited(1, label("job", "")))));

        assertThat(RemoteWriteCodec.decode(Snappy.compress(request)))
                .containsExactly(new PromSeries(Map.of("__name__", "up"), List.of()));
    }

    @Test
    void rejectsDuplicateAndEmptyLabelNames() throws Exception {
        byte[] duplicate =
                message(
                        lengthDelimited(
                                1,
                                message(
                                        lengthDelimited(1, label("__name__", "up")),
                                        lengthDelimited(1, label("job", "a")),
                                        lengthDelimited(1, label("job", "b")))));
        byte[] emptyName =
                message(
                        lengthDelimited(
                                1,
                                message(
                                        lengthDelimited(1, label("__name__", "up")),
                                        lengthDelimited(1, label("", "a")))));

        assertReason(Snappy.compress(duplicate), Reason.DUPLICATE_LABEL);
        assertReason(Snappy.compress(emptyName), Reason.INVALID_LABEL);
    }

    @Test
    void rejectsNativeHistograms() throws Exception {
        byte[] request =
                message(
                        lengthDelimited(
                                1,
                                message(
                                        lengthDelimited(
                                                1, label("__name__", "rpc_duration_seconds")),
                                        lengthDelimited(
                                                4, message(varint(1, 10), fixed64(3, 0))))));

        assertReason(Snappy.compress(request), Reason.NATIVE_HISTOGRAM_UNSUPPORTED);
    }

    @Test
    void seriesRefusesLabelsThatCannotBeEncoded() {
        assertThatThrownBy(() -> new PromSeries(Map.of("job", "x"), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PromSeries(Map.of("__name__", "up", "job", ""), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        Map<String, String> unsorted = new LinkedHashMap<>();
        unsorted.put("z", "1");
        unsorted.put("__name__", "up");
        assertThat(new PromSeries(unsorted, List.of()).labels().keySet())
                .containsExactly("__name__", "z");
    }

    private static void assertReason(byte[] body, Reason reason) {
        assertThatThrownBy(() -> RemoteWriteCodec.decode(body))
                .isInstanceOfSatisfying(
                        RemoteWriteFormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(reason));
    }

    /**
     * A snappy block made only of literal elements: the varint length header, then chunks of at
     * most 65536 bytes, each tagged 0xF4 (literal, length-1 in the next two bytes).
     */
    private static byte[] literalOnlySnappy(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream header = CodedOutputStream.newInstance(out);
        header.writeUInt32NoTag(data.length);
        header.flush();
        for (int offset = 0; offset < data.length; offset += 65536) {
            int length = Math.min(65536, data.length - offset);
            out.write(0xF4);
            out.write((length - 1) & 0xFF);
            out.write((length - 1) >>> 8);
            out.write(data, offset, length);
        }
        return out.toByteArray();
    }

    private static byte[] label(String name, String value) throws IOException {
        return message(string(1, name), string(2, value));
    }

    /** A sample as gogo-protobuf writes it: fields holding zero are left out. */
    private static byte[] sample(double value, long timestampMs) throws IOException {
        byte[] valueField =
                value == 0.0 ? new byte[0] : fixed64(1, Double.doubleToRawLongBits(value));
        byte[] timestampField = timestampMs == 0 ? new byte[0] : varint(2, timestampMs);
        return message(valueField, timestampField);
    }

    private static byte[] message(byte[]... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] field : fields) {
            out.writeBytes(field);
        }
        return out.toByteArray();
    }

    private static byte[] lengthDelimited(int field, byte[] payload) throws IOException {
        return write(out -> out.writeByteArray(field, payload));
    }

    private static byte[] string(int field, String value) throws IOException {
        return write(out -> out.writeString(field, value));
    }

    private static byte[] varint(int field, long value) throws IOException {
        return write(out -> out.writeUInt64(field, value));
    }

    private static byte[] fixed32(int field, int value) throws IOException {
        return write(out -> out.writeFixed32(field, value));
    }

    private static byte[] fixed64(int field, long value) throws IOException {
        return write(out -> out.writeFixed64(field, value));
    }

    private static byte[] group(int field, byte[] content) throws IOException {
        return write(
                out -> {
                    out.writeTag(field, WireFormat.WIRETYPE_START_GROUP);
                    out.writeRawBytes(content);
                    out.writeTag(field, WireFormat.WIRETYPE_END_GROUP);
                });
    }

    private interface FieldWriter {
        void writeTo(CodedOutputStream out) throws IOException;
    }

    private static byte[] write(FieldWriter writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        writer.writeTo(out);
        out.flush();
        return bytes.toByteArray();
    }
}
