package dev.servicehealth.dedup;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** The type of the dedup key: a fixed 16-byte value, usable as a Flink key. */
public final class EventIdentityTypeInfo extends TypeInformation<EventIdentity> {
    private static final long serialVersionUID = 1L;
    public static final EventIdentityTypeInfo INSTANCE = new EventIdentityTypeInfo();

    private EventIdentityTypeInfo() {}

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<EventIdentity> getTypeClass() {
        return EventIdentity.class;
    }

    @Override
    public boolean isKeyType() {
        return true;
    }

    @Override
    public TypeSerializer<EventIdentity> createSerializer(SerializerConfig config) {
        return EventIdentitySerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "EventIdentity";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof EventIdentityTypeInfo;
    }

    @Override
    public int hashCode() {
        return EventIdentityTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof EventIdentityTypeInfo;
    }
}
