package dev.servicehealth.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.servicehealth.model.wire.DeadLetterV1;
import dev.servicehealth.model.wire.Label;
import dev.servicehealth.model.wire.MetricSampleV1;
import dev.servicehealth.model.wire.RequestEventV1;
import dev.servicehealth.model.wire.StatusEventV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes canonical events to the normalized topics' wire format (protobuf messages defined in
 * {@code service_health_events.proto}) and back. See docs/decisions/0002-wire-format.md.
 *
 * <p>Readers tolerate fields they do not know (newer writers) and fields that are absent (older
 * writers). Enum values a reader does not know decode to an {@link IllegalArgumentException}.
 */
public final class EventCodec {

    private EventCodec() {}

    public static byte[] key(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Scratch space for {@link #encode(RequestEvent)}, per thread; larger events use the builder.
     */
    private static final ThreadLocal<byte[]> SCRATCH =
            ThreadLocal.withInitial(() -> new byte[16 * 1024]);

    /**
     * Writes the message field by field into a scratch buffer: the same bytes as the generated
     * builder (a test holds them equal), in one pass instead of two and without building a message
     * object. This runs once per event on the normalizer's hot path, where the builder path was a
     * quarter of the CPU (docs/benchmarks.md).
     */
    public static byte[] encode(RequestEvent e) {
        byte[] scratch = SCRATCH.get();
        CodedOutputStream out = CodedOutputStream.newInstance(scratch);
        try {
            writeRequest(e, out);
        } catch (CodedOutputStream.OutOfSpaceException tooLarge) {
            return encodeWithBuilder(e);
        } catch (IOException impossible) {
            throw new UncheckedIOException("writing to an array failed", impossible);
        }
        return Arrays.copyOf(scratch, out.getTotalBytesWritten());
    }

    private static void writeRequest(RequestEvent e, CodedOutputStream out) throws IOException {
        out.writeEnum(RequestEventV1.SOURCE_FIELD_NUMBER, wireSource(e.source()).getNumber());
        writeString(out, RequestEventV1.REQUEST_ID_FIELD_NUMBER, e.requestId());
        writeString(out, RequestEventV1.TENANT_TOKEN_FIELD_NUMBER, e.tenantToken());
        out.writeEnum(
                RequestEventV1.TENANT_TIER_FIELD_NUMBER, wireTier(e.tenantTier()).getNumber());
        writeString(out, RequestEventV1.REGION_FIELD_NUMBER, e.region().name());
        writeString(out, RequestEventV1.AVAILABILITY_ZONE_FIELD_NUMBER, e.availabilityZone());
        writeString(out, RequestEventV1.PRODUCT_FIELD_NUMBER, e.product());
        writeString(out, RequestEventV1.SERVICE_FIELD_NUMBER, e.service());
        writeString(out, RequestEventV1.ENDPOINT_FIELD_NUMBER, e.endpoint());
        if (e.httpStatus() != 0) {
            out.writeInt32(RequestEventV1.HTTP_STATUS_FIELD_NUMBER, e.httpStatus());
        }
        if (!Double.isNaN(e.latencyMs())) {
            out.writeDouble(RequestEventV1.LATENCY_MS_FIELD_NUMBER, e.latencyMs());
        }
        if (e.bytesOut() != 0) {
            out.writeInt64(RequestEventV1.BYTES_OUT_FIELD_NUMBER, e.bytesOut());
        }
        writeString(out, RequestEventV1.USER_AGENT_FIELD_NUMBER, e.userAgent());
        if (e.eventTimeMs() != 0) {
            out.writeInt64(RequestEventV1.EVENT_TIME_MS_FIELD_NUMBER, e.eventTimeMs());
        }
        if (e.ingestTimeMs() != 0) {
            out.writeInt64(RequestEventV1.INGEST_TIME_MS_FIELD_NUMBER, e.ingestTimeMs());
        }
        if (e.authOutcome() != null) {
            out.writeEnum(
                    RequestEventV1.AUTH_OUTCOME_FIELD_NUMBER,
                    wireOutcome(e.authOutcome()).getNumber());
        }
        if (!Double.isNaN(e.tokenMintLatencyMs())) {
            out.writeDouble(
                    RequestEventV1.TOKEN_MINT_LATENCY_MS_FIELD_NUMBER, e.tokenMintLatencyMs());
        }
        writeString(out, RequestEventV1.DEPENDENCY_FIELD_NUMBER, e.dependency());
    }

    /** Proto3 leaves empty strings off the wire; so do we, for null too. */
    private static void writeString(CodedOutputStream out, int field, String value)
            throws IOException {
        if (value != null && !value.isEmpty()) {
            out.writeString(field, value);
        }
    }

    static byte[] encodeWithBuilder(RequestEvent e) {
        RequestEventV1.Builder b =
                RequestEventV1.newBuilder()
                        .setSource(wireSource(e.source()))
                        .setRequestId(e.requestId())
                        .setTenantToken(e.tenantToken())
                        .setTenantTier(wireTier(e.tenantTier()))
                        .setRegion(e.region().name())
                        .setAvailabilityZone(nullToEmpty(e.availabilityZone()))
                        .setProduct(nullToEmpty(e.product()))
                        .setService(nullToEmpty(e.service()))
                        .setEndpoint(nullToEmpty(e.endpoint()))
                        .setHttpStatus(e.httpStatus())
                        .setBytesOut(e.bytesOut())
                        .setUserAgent(nullToEmpty(e.userAgent()))
                        .setEventTimeMs(e.eventTimeMs())
                        .setIngestTimeMs(e.ingestTimeMs())
                        .setDependency(nullToEmpty(e.dependency()));
        if (!Double.isNaN(e.latencyMs())) {
            b.setLatencyMs(e.latencyMs());
        }
        if (!Double.isNaN(e.tokenMintLatencyMs())) {
            b.setTokenMintLatencyMs(e.tokenMintLatencyMs());
        }
        if (e.authOutcome() != null) {
            b.setAuthOutcome(wireOutcome(e.authOutcome()));
        }
        return b.build().toByteArray();
    }

    private static final int SOURCE_TAG = tag(RequestEventV1.SOURCE_FIELD_NUMBER, 0);
    private static final int REQUEST_ID_TAG = tag(RequestEventV1.REQUEST_ID_FIELD_NUMBER, 2);
    private static final int TENANT_TOKEN_TAG = tag(RequestEventV1.TENANT_TOKEN_FIELD_NUMBER, 2);
    private static final int TENANT_TIER_TAG = tag(RequestEventV1.TENANT_TIER_FIELD_NUMBER, 0);
    private static final int REGION_TAG = tag(RequestEventV1.REGION_FIELD_NUMBER, 2);
    private static final int AZ_TAG = tag(RequestEventV1.AVAILABILITY_ZONE_FIELD_NUMBER, 2);
    private static final int PRODUCT_TAG = tag(RequestEventV1.PRODUCT_FIELD_NUMBER, 2);
    private static final int SERVICE_TAG = tag(RequestEventV1.SERVICE_FIELD_NUMBER, 2);
    private static final int ENDPOINT_TAG = tag(RequestEventV1.ENDPOINT_FIELD_NUMBER, 2);
    private static final int HTTP_STATUS_TAG = tag(RequestEventV1.HTTP_STATUS_FIELD_NUMBER, 0);
    private static final int LATENCY_TAG = tag(RequestEventV1.LATENCY_MS_FIELD_NUMBER, 1);
    private static final int BYTES_OUT_TAG = tag(RequestEventV1.BYTES_OUT_FIELD_NUMBER, 0);
    private static final int USER_AGENT_TAG = tag(RequestEventV1.USER_AGENT_FIELD_NUMBER, 2);
    private static final int EVENT_TIME_TAG = tag(RequestEventV1.EVENT_TIME_MS_FIELD_NUMBER, 0);
    private static final int INGEST_TIME_TAG = tag(RequestEventV1.INGEST_TIME_MS_FIELD_NUMBER, 0);
    private static final int AUTH_OUTCOME_TAG = tag(RequestEventV1.AUTH_OUTCOME_FIELD_NUMBER, 0);
    private static final int TOKEN_MINT_TAG =
            tag(RequestEventV1.TOKEN_MINT_LATENCY_MS_FIELD_NUMBER, 1);
    private static final int DEPENDENCY_TAG = tag(RequestEventV1.DEPENDENCY_FIELD_NUMBER, 2);

    /** A field's tag on the wire: its number and wire type (0 varint, 1 64-bit, 2 length). */
    private static int tag(int field, int wireType) {
        return field << 3 | wireType;
    }

    /** Per thread, for {@link #decodeRequest(byte[])}. */
    private static final ThreadLocal<RepeatedStrings> REPEATED =
            ThreadLocal.withInitial(RepeatedStrings::new);

    /**
     * Reads the message field by field into the event: the same result as the generated parser (a
     * test holds them equal), without building a message and its builder, and without decoding
     * again the strings that repeat from event to event ({@link RepeatedStrings}). This runs once
     * per event on the aggregator's hot path, where the generated parser was two fifths of the CPU
     * of the thread that reads and pre-aggregates (docs/benchmarks.md).
     */
    public static RequestEvent decodeRequest(byte[] bytes) {
        try {
            return readRequest(bytes, CodedInputStream.newInstance(bytes), REPEATED.get());
        } catch (IOException e) {
            throw new IllegalArgumentException("not a valid wire record: " + e.getMessage(), e);
        }
    }

    private static RequestEvent readRequest(
            byte[] bytes, CodedInputStream in, RepeatedStrings repeated) throws IOException {
        int source = 0;
        int tier = 0;
        int httpStatus = 0;
        int outcome = 0;
        String requestId = "";
        String token = "";
        String region = "";
        String zone = "";
        String product = "";
        String service = "";
        String endpoint = "";
        String userAgent = "";
        String dependency = "";
        double latency = Double.NaN;
        double mintLatency = Double.NaN;
        long bytesOut = 0;
        long eventTime = 0;
        long ingestTime = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == SOURCE_TAG) {
                source = in.readEnum();
            } else if (tag == REQUEST_ID_TAG) {
                requestId = in.readStringRequireUtf8();
            } else if (tag == TENANT_TOKEN_TAG) {
                token = repeated.read(bytes, in);
            } else if (tag == TENANT_TIER_TAG) {
                tier = in.readEnum();
            } else if (tag == REGION_TAG) {
                region = repeated.read(bytes, in);
            } else if (tag == AZ_TAG) {
                zone = repeated.read(bytes, in);
            } else if (tag == PRODUCT_TAG) {
                product = repeated.read(bytes, in);
            } else if (tag == SERVICE_TAG) {
                service = repeated.read(bytes, in);
            } else if (tag == ENDPOINT_TAG) {
                endpoint = repeated.read(bytes, in);
            } else if (tag == HTTP_STATUS_TAG) {
                httpStatus = in.readInt32();
            } else if (tag == LATENCY_TAG) {
                latency = in.readDouble();
            } else if (tag == BYTES_OUT_TAG) {
                bytesOut = in.readInt64();
            } else if (tag == USER_AGENT_TAG) {
                userAgent = repeated.read(bytes, in);
            } else if (tag == EVENT_TIME_TAG) {
                eventTime = in.readInt64();
            } else if (tag == INGEST_TIME_TAG) {
                ingestTime = in.readInt64();
            } else if (tag == AUTH_OUTCOME_TAG) {
                outcome = in.readEnum();
            } else if (tag == TOKEN_MINT_TAG) {
                mintLatency = in.readDouble();
            } else if (tag == DEPENDENCY_TAG) {
                dependency = repeated.read(bytes, in);
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        // an end-group tag ended the loop: a malformed message, as the generated parser says
        in.checkLastTagWas(0);
        return new RequestEvent(
                domainSource(dev.servicehealth.model.wire.RequestSource.forNumber(source)),
                requestId,
                token,
                domainTier(dev.servicehealth.model.wire.TenantTier.forNumber(tier)),
                Region.valueOf(region),
                zone,
                product,
                service,
                endpoint,
                httpStatus,
                latency,
                bytesOut,
                userAgent,
                eventTime,
                ingestTime,
                domainOutcome(dev.servicehealth.model.wire.AuthOutcome.forNumber(outcome)),
                mintLatency,
                dependency);
    }

    /**
     * The generated parser's reading of the same bytes: the reference for {@link #decodeRequest}.
     */
    static RequestEvent decodeRequestWithParser(byte[] bytes) {
        RequestEventV1 m = parse(() -> RequestEventV1.parseFrom(bytes));
        return new RequestEvent(
                domainSource(m.getSource()),
                m.getRequestId(),
                m.getTenantToken(),
                domainTier(m.getTenantTier()),
                Region.valueOf(m.getRegion()),
                m.getAvailabilityZone(),
                m.getProduct(),
                m.getService(),
                m.getEndpoint(),
                m.getHttpStatus(),
                m.hasLatencyMs() ? m.getLatencyMs() : Double.NaN,
                m.getBytesOut(),
                m.getUserAgent(),
                m.getEventTimeMs(),
                m.getIngestTimeMs(),
                domainOutcome(m.getAuthOutcome()),
                m.hasTokenMintLatencyMs() ? m.getTokenMintLatencyMs() : Double.NaN,
                m.getDependency());
    }

    public static byte[] encode(MetricSample s) {
        MetricSampleV1.Builder b =
                MetricSampleV1.newBuilder()
                        .setMetricName(s.metricName())
                        .setRegion(s.region().name())
                        .setService(s.service())
                        .setTimestampMs(s.timestampMs())
                        .setValue(s.value())
                        .setIngestTimeMs(s.ingestTimeMs());
        for (Map.Entry<String, String> label : s.labels().entrySet()) {
            b.addLabels(Label.newBuilder().setName(label.getKey()).setValue(label.getValue()));
        }
        return b.build().toByteArray();
    }

    public static MetricSample decodeMetric(byte[] bytes) {
        MetricSampleV1 m = parse(() -> MetricSampleV1.parseFrom(bytes));
        Map<String, String> labels = new TreeMap<>();
        for (Label label : m.getLabelsList()) {
            labels.put(label.getName(), label.getValue());
        }
        return new MetricSample(
                m.getMetricName(),
                labels,
                Region.valueOf(m.getRegion()),
                m.getService(),
                m.getTimestampMs(),
                m.getValue(),
                m.getIngestTimeMs());
    }

    public static byte[] encode(StatusEvent e) {
        return StatusEventV1.newBuilder()
                .setEventId(e.eventId())
                .setKind(dev.servicehealth.model.wire.StatusKind.valueOf(e.kind().name()))
                .setOrigin(nullToEmpty(e.origin()))
                .setRegion(e.region() == null ? "" : e.region().name())
                .setService(nullToEmpty(e.service()))
                .setEndpoint(nullToEmpty(e.endpoint()))
                .setEventTimeMs(e.eventTimeMs())
                .setSummary(nullToEmpty(e.summary()))
                .setVersion(nullToEmpty(e.version()))
                .setIngestTimeMs(e.ingestTimeMs())
                .build()
                .toByteArray();
    }

    public static StatusEvent decodeStatus(byte[] bytes) {
        StatusEventV1 m = parse(() -> StatusEventV1.parseFrom(bytes));
        return new StatusEvent(
                m.getEventId(),
                StatusKind.valueOf(m.getKind().name()),
                m.getOrigin(),
                m.getRegion().isEmpty() ? null : Region.valueOf(m.getRegion()),
                m.getService(),
                m.getEndpoint(),
                m.getEventTimeMs(),
                m.getSummary(),
                m.getVersion(),
                m.getIngestTimeMs());
    }

    public static byte[] encode(DeadLetter d) {
        return DeadLetterV1.newBuilder()
                .setSourceTopic(d.sourceTopic())
                .setSourcePartition(d.sourcePartition())
                .setSourceOffset(d.sourceOffset())
                .setSourceTimestampMs(d.sourceTimestampMs())
                .setReason(d.reason().code())
                .setDetail(d.detail())
                .setOriginalKey(ByteString.copyFrom(d.originalKey()))
                .setOriginalValue(ByteString.copyFrom(d.originalValue()))
                .setDeadLetteredAtMs(d.deadLetteredAtMs())
                .build()
                .toByteArray();
    }

    public static DeadLetter decodeDeadLetter(byte[] bytes) {
        DeadLetterV1 m = parse(() -> DeadLetterV1.parseFrom(bytes));
        return new DeadLetter(
                m.getSourceTopic(),
                m.getSourcePartition(),
                m.getSourceOffset(),
                m.getSourceTimestampMs(),
                DeadLetterReason.valueOf(m.getReason().toUpperCase(java.util.Locale.ROOT)),
                m.getDetail(),
                m.getOriginalKey().toByteArray(),
                m.getOriginalValue().toByteArray(),
                m.getDeadLetteredAtMs());
    }

    // switches, not valueOf(name()): this runs once per event on the normalizer's hot path
    private static dev.servicehealth.model.wire.RequestSource wireSource(RequestSource source) {
        switch (source) {
            case GATEWAY:
                return dev.servicehealth.model.wire.RequestSource.GATEWAY;
            case AUTH:
                return dev.servicehealth.model.wire.RequestSource.AUTH;
            default:
                throw new IllegalArgumentException(source.name());
        }
    }

    private static dev.servicehealth.model.wire.TenantTier wireTier(TenantTier tier) {
        switch (tier) {
            case PREMIUM:
                return dev.servicehealth.model.wire.TenantTier.PREMIUM;
            case STANDARD:
                return dev.servicehealth.model.wire.TenantTier.STANDARD;
            case FREE:
                return dev.servicehealth.model.wire.TenantTier.FREE;
            case UNKNOWN:
                return dev.servicehealth.model.wire.TenantTier.UNKNOWN_TIER;
            default:
                throw new IllegalArgumentException(tier.name());
        }
    }

    private static RequestSource domainSource(dev.servicehealth.model.wire.RequestSource source) {
        if (source == null || source == dev.servicehealth.model.wire.RequestSource.UNRECOGNIZED) {
            throw new IllegalArgumentException("request source unknown to this reader");
        }
        return RequestSource.valueOf(source.name());
    }

    private static TenantTier domainTier(dev.servicehealth.model.wire.TenantTier tier) {
        if (tier == null) {
            return TenantTier.UNKNOWN;
        }
        switch (tier) {
            case PREMIUM:
                return TenantTier.PREMIUM;
            case STANDARD:
                return TenantTier.STANDARD;
            case FREE:
                return TenantTier.FREE;
            default:
                return TenantTier.UNKNOWN;
        }
    }

    private static dev.servicehealth.model.wire.AuthOutcome wireOutcome(AuthOutcome outcome) {
        return outcome == AuthOutcome.SUCCESS
                ? dev.servicehealth.model.wire.AuthOutcome.AUTH_SUCCESS
                : dev.servicehealth.model.wire.AuthOutcome.valueOf(outcome.name());
    }

    private static AuthOutcome domainOutcome(dev.servicehealth.model.wire.AuthOutcome outcome) {
        if (outcome == null) {
            throw new IllegalArgumentException("auth outcome unknown to this reader");
        }
        switch (outcome) {
            case AUTH_OUTCOME_UNSPECIFIED:
                return null;
            case AUTH_SUCCESS:
                return AuthOutcome.SUCCESS;
            case UNRECOGNIZED:
                throw new IllegalArgumentException("auth outcome unknown to this reader");
            default:
                return AuthOutcome.valueOf(outcome.name());
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private interface Parser<T> {
        T parse() throws InvalidProtocolBufferException;
    }

    private static <T> T parse(Parser<T> parser) {
        try {
            return parser.parse();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a valid wire record: " + e.getMessage(), e);
        }
    }
}
