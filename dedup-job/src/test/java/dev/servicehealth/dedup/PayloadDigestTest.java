package dev.servicehealth.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.model.EventCodec;
import dev.servicehealth.model.EventKind;
import dev.servicehealth.model.RequestEvents;
import org.junit.jupiter.api.Test;

class PayloadDigestTest {

    @Test
    void ignoresTheIngestTimeOnly() {
        long first = digest(RequestEvents.gateway().requestId("r").ingestTime(1_000));

        assertThat(digest(RequestEvents.gateway().requestId("r").ingestTime(999_000)))
                .as("a redelivered copy")
                .isEqualTo(first);
        assertThat(digest(RequestEvents.gateway().requestId("r").ingestTime(1_000).status(503)))
                .isNotEqualTo(first);
        assertThat(digest(RequestEvents.gateway().requestId("r").ingestTime(1_000).userAgent("x")))
                .as("a field after the ingest time")
                .isNotEqualTo(first);
    }

    @Test
    void digestsBytesThatAreNotAnEventWithoutFailing() {
        byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff};

        assertThat(PayloadDigest.of(EventKind.STATUS, garbage))
                .isEqualTo(PayloadDigest.of(EventKind.STATUS, garbage.clone()))
                .isNotEqualTo(PayloadDigest.of(EventKind.STATUS, new byte[0]));
    }

    private static long digest(RequestEvents event) {
        return PayloadDigest.of(EventKind.REQUEST, EventCodec.encode(event.build()));
    }
}
