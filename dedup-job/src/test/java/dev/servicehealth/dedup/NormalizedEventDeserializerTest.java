package dev.servicehealth.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.dedup.kafka.NormalizedEventDeserializer;
import dev.servicehealth.model.EventKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class NormalizedEventDeserializerTest {
    private final NormalizedEventDeserializer deserializer =
            new NormalizedEventDeserializer(
                    Map.of("req", EventKind.REQUEST, "status", EventKind.STATUS));

    @Test
    void takesTheKindFromTheTopicAndTheIdentityFromTheKey() throws Exception {
        byte[] key = "GATEWAY:r-1".getBytes(StandardCharsets.UTF_8);
        ConsumerRecord<byte[], byte[]> record =
                new ConsumerRecord<>("req", 0, 7L, key, new byte[] {1});

        NormalizedEvent event = deserialize(record);

        assertThat(event.kind()).isEqualTo(EventKind.REQUEST);
        assertThat(event.identity()).isEqualTo(EventIdentity.of(EventKind.REQUEST, key));
        assertThat(event.value()).containsExactly(1);
    }

    @Test
    void identifiesAnUnkeyedRecordByItsBytes() throws Exception {
        byte[] value = {4, 2};
        NormalizedEvent event = deserialize(new ConsumerRecord<>("status", 0, 7L, null, value));

        assertThat(event.key()).isNull();
        assertThat(event.identity()).isEqualTo(EventIdentity.of(EventKind.STATUS, value));
    }

    private NormalizedEvent deserialize(ConsumerRecord<byte[], byte[]> record) throws Exception {
        List<NormalizedEvent> out = new ArrayList<>();
        deserializer.deserialize(
                record,
                new Collector<>() {
                    @Override
                    public void collect(NormalizedEvent event) {
                        out.add(event);
                    }

                    @Override
                    public void close() {}
                });
        assertThat(out).hasSize(1);
        return out.get(0);
    }
}
