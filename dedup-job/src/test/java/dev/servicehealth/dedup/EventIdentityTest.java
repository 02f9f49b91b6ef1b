package dev.servicehealth.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.model.EventKind;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class EventIdentityTest {

    @Test
    void isTheSameForTheSameKeyAndKindOnly() {
        EventIdentity request = EventIdentity.of(EventKind.REQUEST, "GATEWAY:r-1");

        assertThat(EventIdentity.of(EventKind.REQUEST, "GATEWAY:r-1")).isEqualTo(request);
        assertThat(EventIdentity.of(EventKind.REQUEST, "AUTH:r-1")).isNotEqualTo(request);
        assertThat(EventIdentity.of(EventKind.STATUS, "GATEWAY:r-1")).isNotEqualTo(request);
    }

    /** Pinned: a changed hash or seed would orphan every entry of a restored state. */
    @Test
    void isStableAcrossReleasesBecauseCheckpointsHoldIt() {
        assertThat(EventIdentity.of(EventKind.REQUEST, "GATEWAY:r-1"))
                .hasToString("be6840e90b9984a73c5fa6a79be93b37");
    }

    @Test
    void serializesToExactlySixteenBytesAndBack() throws Exception {
        EventIdentity identity = EventIdentity.of(EventKind.METRIC_SAMPLE, "cpu{az=a}@1000");
        DataOutputSerializer out = new DataOutputSerializer(32);

        EventIdentitySerializer.INSTANCE.serialize(identity, out);

        assertThat(out.length())
                .isEqualTo(16)
                .isEqualTo(EventIdentitySerializer.INSTANCE.getLength());
        assertThat(
                        EventIdentitySerializer.INSTANCE.deserialize(
                                new DataInputDeserializer(out.getCopyOfBuffer())))
                .isEqualTo(identity);
    }

    @Test
    void isAFlinkKeyTypeWithItsOwnSerializerAndACompatibleSnapshot() {
        TypeInformation<EventIdentity> type = TypeInformation.of(EventIdentity.class);
        assertThat(type).isSameAs(EventIdentityTypeInfo.INSTANCE);
        assertThat(type.isKeyType()).isTrue();

        TypeSerializerSnapshot<EventIdentity> snapshot =
                EventIdentitySerializer.INSTANCE.snapshotConfiguration();
        TypeSerializerSchemaCompatibility<EventIdentity> compatibility =
                new EventIdentitySerializer.Snapshot().resolveSchemaCompatibility(snapshot);
        assertThat(compatibility.isCompatibleAsIs()).isTrue();
        assertThat(snapshot.restoreSerializer()).isSameAs(EventIdentitySerializer.INSTANCE);
    }
}
