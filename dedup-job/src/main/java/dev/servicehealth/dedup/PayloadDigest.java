package dev.servicehealth.dedup;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.servicehealth.model.EventKind;
import dev.servicehealth.model.wire.MetricSampleV1;
import dev.servicehealth.model.wire.RequestEventV1;
import dev.servicehealth.model.wire.StatusEventV1;
import java.io.IOException;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * A 64-bit fingerprint of what an event says, for telling a redelivered copy (equal) from a
 * conflicting one (same identity, different content). Everything in the encoded event counts except
 * its ingest time, which differs on every delivery by design.
 */
final class PayloadDigest {
    private static final int SEED = 0x5348_4431;

    private PayloadDigest() {}

    static long of(EventKind kind, byte[] value) {
        int field = ingestTimeField(kind);
        int start = -1;
        int end = -1;
        try {
            CodedInputStream in = CodedInputStream.newInstance(value);
            while (!in.isAtEnd()) {
                int position = in.getTotalBytesRead();
                int tag = in.readTag();
                in.skipField(tag);
                if (WireFormat.getTagFieldNumber(tag) == field) {
                    start = position;
                    end = in.getTotalBytesRead();
                    break;
                }
            }
        } catch (IOException e) {
            // not a well-formed event: the digest of all its bytes still tells copies apart
            start = -1;
        }
        if (start < 0) {
            return MurmurHash3.hash128x64(value, 0, value.length, SEED)[0];
        }
        long before = MurmurHash3.hash128x64(value, 0, start, SEED)[0];
        long after = MurmurHash3.hash128x64(value, end, value.length - end, SEED)[0];
        return before * 0x9E37_79B9_7F4A_7C15L + after;
    }

    private static int ingestTimeField(EventKind kind) {
        return switch (kind) {
            case REQUEST -> RequestEventV1.INGEST_TIME_MS_FIELD_NUMBER;
            case METRIC_SAMPLE -> MetricSampleV1.INGEST_TIME_MS_FIELD_NUMBER;
            case STATUS -> StatusEventV1.INGEST_TIME_MS_FIELD_NUMBER;
        };
    }
}
