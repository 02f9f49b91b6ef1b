package dev.servicehealth.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.model.DeadLetter;
import dev.servicehealth.model.DeadLetterReason;
import dev.servicehealth.model.EventKind;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Types that cross operators use Flink's POJO serializer (records), never the Kryo fallback. */
class OperatorTypesTest {

    private static <T> T roundTrip(Class<T> type, T value) throws Exception {
        TypeInformation<T> info = TypeInformation.of(type);
        assertThat(info).as(type.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
        TypeSerializer<T> serializer = info.createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    @Test
    void rawRecordsSurviveTheSerializer() throws Exception {
        RawRecord raw = new RawRecord("raw.gateway", 3, 42L, 1_000L, null, new byte[] {'{', '}'});
        RawRecord copy = roundTrip(RawRecord.class, raw);
        assertThat(copy.topic()).isEqualTo("raw.gateway");
        assertThat(copy.offset()).isEqualTo(42L);
        assertThat(copy.key()).isNull();
        assertThat(copy.value()).containsExactly('{', '}');
    }

    @Test
    void normalizedRecordsSurviveTheSerializer() throws Exception {
        NormalizedRecord record =
                new NormalizedRecord(EventKind.STATUS, new byte[] {1}, new byte[] {2, 3}, 6L, 7L);
        NormalizedRecord copy = roundTrip(NormalizedRecord.class, record);
        assertThat(copy.kind()).isEqualTo(EventKind.STATUS);
        assertThat(copy.value()).containsExactly(2, 3);
        assertThat(copy.eventTimeMs()).isEqualTo(6L);
        assertThat(copy.clockMs()).isEqualTo(7L);
    }

    @Test
    void deadLettersSurviveTheSerializer() throws Exception {
        DeadLetter letter =
                new DeadLetter(
                        "raw.auth",
                        1,
                        9L,
                        5L,
                        DeadLetterReason.MALFORMED_JSON,
                        "eof",
                        new byte[0],
                        new byte[] {'x'},
                        6L);
        assertThat(roundTrip(DeadLetter.class, letter))
                .usingRecursiveComparison()
                .isEqualTo(letter);
    }
}
