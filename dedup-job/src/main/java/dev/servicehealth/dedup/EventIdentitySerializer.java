package dev.servicehealth.dedup;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes an {@link EventIdentity} as exactly its 16 bytes: no length, no null flag, no class tag.
 * In RocksDB the key is this plus Flink's key-group prefix and the empty namespace.
 */
public final class EventIdentitySerializer extends TypeSerializerSingleton<EventIdentity> {
    private static final long serialVersionUID = 1L;
    public static final EventIdentitySerializer INSTANCE = new EventIdentitySerializer();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public EventIdentity createInstance() {
        return new EventIdentity(0, 0);
    }

    @Override
    public EventIdentity copy(EventIdentity from) {
        return from;
    }

    @Override
    public EventIdentity copy(EventIdentity from, EventIdentity reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return 16;
    }

    @Override
    public void serialize(EventIdentity record, DataOutputView target) throws IOException {
        target.writeLong(record.high());
        target.writeLong(record.low());
    }

    @Override
    public EventIdentity deserialize(DataInputView source) throws IOException {
        return new EventIdentity(source.readLong(), source.readLong());
    }

    @Override
    public EventIdentity deserialize(EventIdentity reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        target.write(source, 16);
    }

    @Override
    public TypeSerializerSnapshot<EventIdentity> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer of a checkpoint; the format has one version so far. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<EventIdentity> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
