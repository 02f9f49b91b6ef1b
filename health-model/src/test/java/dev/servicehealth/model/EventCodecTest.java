package dev.servicehealth.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servicehealth.model.wire.RequestEventV1;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCodecTest {
    private static final long T = 1_795_000_000_000L;

    @Test
    void roundTripsGatewayEventWithAbsentLatency() {
        RequestEvent event =
                new RequestEvent(
                        RequestSource.GATEWAY,
                        "r-1",
                        "tk_abc",
                        TenantTier.PREMIUM,
                        Region.EMEA,
                        "emea-west-1a",
                        "Platform",
                        "core-api",
                        "/services/data/v60/query",
                        503,
                        Double.NaN,
                        512,
                        "curl/8",
                        T,
                        T + 40,
                        null,
                        Double.NaN,
                        null);
        RequestEvent decoded = EventCodec.decodeRequest(EventCodec.encode(event));
        assertThat(decoded.latencyMs()).isNaN();
        assertThat(decoded.authOutcome()).isNull();
        assertThat(decoded)
                .usingRecursiveComparison()
                .ignoringFields("latencyMs", "tokenMintLatencyMs", "dependency")
                .isEqualTo(event);
        assertThat(decoded.dependency()).isEmpty();
    }

    @Test
    void roundTripsAuthEvent() {
        RequestEvent event =
                new RequestEvent(
                        RequestSource.AUTH,
                        "r-2",
                        "tk_x",
                        TenantTier.UNKNOWN,
                        Region.NA,
                        "",
                        "Platform",
                        "identity",
                        "/services/oauth2/token",
                        0,
                        Double.NaN,
                        0,
                        "",
                        T,
                        T,
                        AuthOutcome.TIMEOUT,
                        2500.0,
                        "hsm");
        assertThat(EventCodec.decodeRequest(EventCodec.encode(event)))
                .usingRecursiveComparison()
                .ignoringFields("latencyMs")
                .isEqualTo(event);
    }

    @Test
    void roundTripsMetricSampleAndStatusEventAndDeadLetter() {
        MetricSample sample =
                new MetricSample(
                        "queue_depth",
                        Map.of("service", "identity", "region", "EMEA"),
                        Region.EMEA,
                        "identity",
                        T,
                        42.0,
                        T + 3);
        assertThat(EventCodec.decodeMetric(EventCodec.encode(sample))).isEqualTo(sample);

        StatusEvent status =
                new StatusEvent(
                        "dep-1",
                        StatusKind.DEPLOY,
                        "argo",
                        null,
                        "identity",
                        "",
                        T,
                        "rollout",
                        "v2",
                        T);
        assertThat(EventCodec.decodeStatus(EventCodec.encode(status))).isEqualTo(status);

        DeadLetter letter =
                new DeadLetter(
                        "raw.gateway",
                        2,
                        77,
                        T,
                        DeadLetterReason.MALFORMED_JSON,
                        "eof",
                        new byte[] {1},
                        new byte[] {'{'},
                        T);
        DeadLetter decoded = EventCodec.decodeDeadLetter(EventCodec.encode(letter));
        assertThat(decoded).usingRecursiveComparison().isEqualTo(letter);
    }

    @Test
    void writesTheSameBytesAsTheGeneratedBuilder() {
        List<RequestEvent> events = randomEvents(7, 2_000);
        for (int i = 0; i < events.size(); i++) {
            RequestEvent e = events.get(i);
            assertThat(EventCodec.encode(e))
                    .as("event %d", i)
                    .isEqualTo(EventCodec.encodeWithBuilder(e));
        }
    }

    @Test
    void readsTheSameEventsAsTheGeneratedParser() {
        List<RequestEvent> events = randomEvents(11, 2_000);
        for (int i = 0; i < events.size(); i++) {
            byte[] bytes = EventCodec.encodeWithBuilder(events.get(i));
            assertThat(EventCodec.decodeRequest(bytes))
                    .as("event %d", i)
                    .isEqualTo(EventCodec.decodeRequestWithParser(bytes));
        }
    }

    @Test
    void refusesWhatTheGeneratedParserRefuses() {
        byte[] bytes = EventCodec.encode(RequestEvents.gateway().build());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 3);
        byte[] unknownSource =
                RequestEventV1.newBuilder()
                        .setSourceValue(7)
                        .setRegion("EMEA")
                        .build()
                        .toByteArray();
        // an endpoint (field 9, length-delimited) of 2 bytes that are not UTF-8
        byte[] invalidUtf8 = Arrays.copyOf(bytes, bytes.length + 4);
        System.arraycopy(
                new byte[] {9 << 3 | 2, 2, (byte) 0xc3, 0x28}, 0, invalidUtf8, bytes.length, 4);
        // an endpoint whose length varint is cut off after its first byte
        byte[] cutInLength = Arrays.copyOf(bytes, bytes.length + 2);
        cutInLength[bytes.length] = 9 << 3 | 2;
        cutInLength[bytes.length + 1] = (byte) 0x80;
        // an end-group tag (field 1) where the message should end, then more fields
        byte[] endGroup = Arrays.copyOf(bytes, bytes.length + 3);
        endGroup[bytes.length] = 1 << 3 | 4;
        endGroup[bytes.length + 1] = 10 << 3;
        endGroup[bytes.length + 2] = 1;
        for (byte[] bad :
                List.of(
                        truncated,
                        unknownSource,
                        invalidUtf8,
                        invalidUtf8,
                        cutInLength,
                        endGroup)) {
            assertThatThrownBy(() -> EventCodec.decodeRequestWithParser(bad))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> EventCodec.decodeRequest(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void decodesAStringThatRepeatsToOneInstance() {
        byte[] first = EventCodec.encode(RequestEvents.gateway().requestId("r-1").build());
        byte[] second = EventCodec.encode(RequestEvents.gateway().requestId("r-2").build());

        RequestEvent a = EventCodec.decodeRequest(first);
        RequestEvent b = EventCodec.decodeRequest(second);

        assertThat(b.endpoint()).isEqualTo(a.endpoint()).isSameAs(a.endpoint());
        assertThat(b.tenantToken()).isSameAs(a.tenantToken());
        assertThat(b.requestId()).isEqualTo("r-2");
    }

    /** Events with every field varied, absent optionals, empty and non-ASCII strings. */
    private static List<RequestEvent> randomEvents(long seed, int n) {
        java.util.Random random = new java.util.Random(seed);
        String[] texts = {"", "a", "emea-west-1a", "Mozilla/5.0 (X11; Linux) ünïcödé ✓", null};
        List<RequestEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean auth = random.nextBoolean();
            events.add(
                    new RequestEvent(
                            auth ? RequestSource.AUTH : RequestSource.GATEWAY,
                            "r-" + random.nextLong(),
                            "tk_" + i,
                            TenantTier.values()[random.nextInt(TenantTier.values().length)],
                            Region.values()[random.nextInt(Region.values().length)],
                            texts[random.nextInt(texts.length)],
                            texts[random.nextInt(texts.length)],
                            texts[random.nextInt(texts.length)],
                            texts[random.nextInt(texts.length)],
                            auth ? 0 : 100 + random.nextInt(500),
                            random.nextInt(4) == 0 ? Double.NaN : random.nextInt(3) * 12.5,
                            random.nextInt(3) == 0 ? 0 : random.nextInt(1 << 20),
                            texts[random.nextInt(texts.length)],
                            T + random.nextInt(1000),
                            random.nextInt(5) == 0 ? 0 : T + 5_000,
                            auth
                                    ? AuthOutcome.values()[
                                            random.nextInt(AuthOutcome.values().length)]
                                    : null,
                            random.nextBoolean() ? Double.NaN : random.nextDouble() * 100,
                            texts[random.nextInt(texts.length)]));
        }
        return events;
    }

    @Test
    void encodesEventsLargerThanTheScratchBuffer() {
        String huge = "x".repeat(100_000);
        RequestEvent e = RequestEvents.gateway().userAgent(huge).build();
        assertThat(EventCodec.decodeRequest(EventCodec.encode(e)).userAgent()).isEqualTo(huge);
    }

    @Test
    void olderReaderIgnoresFieldsItDoesNotKnow() {
        byte[] known =
                RequestEventV1.newBuilder()
                        .setSource(dev.servicehealth.model.wire.RequestSource.GATEWAY)
                        .setRequestId("r-3")
                        .setTenantToken("tk")
                        .setTenantTier(dev.servicehealth.model.wire.TenantTier.FREE)
                        .setRegion("APAC")
                        .setHttpStatus(200)
                        .build()
                        .toByteArray();
        byte[] withNewField = new byte[known.length + 3];
        System.arraycopy(known, 0, withNewField, 0, known.length);
        // field 99, varint 1: what a newer writer's extra field looks like on the wire
        withNewField[known.length] = (byte) 0x98;
        withNewField[known.length + 1] = 0x06;
        withNewField[known.length + 2] = 0x01;
        RequestEvent decoded = EventCodec.decodeRequest(withNewField);
        assertThat(decoded.requestId()).isEqualTo("r-3");
        assertThat(decoded.region()).isEqualTo(Region.APAC);
    }

    @Test
    void everyDomainEnumValueHasAWireValue() {
        for (TenantTier tier : TenantTier.values()) {
            RequestEvent e = RequestEvents.gateway().tier(tier).build();
            assertThat(EventCodec.decodeRequest(EventCodec.encode(e)).tenantTier()).isEqualTo(tier);
        }
        for (AuthOutcome outcome : AuthOutcome.values()) {
            RequestEvent e = RequestEvents.auth(outcome).build();
            assertThat(EventCodec.decodeRequest(EventCodec.encode(e)).authOutcome())
                    .isEqualTo(outcome);
        }
    }
}
