package dev.servicehealth.dedup;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Tells Flink to use {@link EventIdentitySerializer} wherever an {@link EventIdentity} goes. */
public final class EventIdentityTypeInfoFactory extends TypeInfoFactory<EventIdentity> {
    @Override
    public TypeInformation<EventIdentity> createTypeInfo(
            Type t, Map<String, TypeInformation<?>> genericParameters) {
        return EventIdentityTypeInfo.INSTANCE;
    }
}
