package dev.servicehealth.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The files of {@code deploy/pinot}, which the build puts into this module's jar. */
final class Manifests {
    private Manifests() {}

    /**
     * A table config of {@code deploy/pinot} for one environment: the given Kafka bootstrap
     * servers, topic and number of replicas per partition (no more than the servers that host it).
     */
    static ObjectNode tableConfig(
            String tableName, String bootstrapServers, String topic, int replicas) {
        ObjectNode config = (ObjectNode) read(tableName + ".table.json");
        streamConfigs(config)
                .put("stream.kafka.broker.list", bootstrapServers)
                .put("stream.kafka.topic.name", topic);
        ((ObjectNode) config.path("segmentsConfig"))
                .put("replicasPerPartition", Integer.toString(replicas));
        return config;
    }

    static ObjectNode streamConfigs(ObjectNode tableConfig) {
        return (ObjectNode) tableConfig.path("tableIndexConfig").path("streamConfigs");
    }

    static JsonNode read(String file) {
        try (InputStream in = Manifests.class.getResourceAsStream("pinot/" + file)) {
            if (in == null) {
                throw new IllegalStateException(
                        "deploy/pinot/" + file + " is not in the serving jar; build with Maven");
            }
            return PinotHttp.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
