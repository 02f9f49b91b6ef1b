package dev.servicehealth.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servicehealth.model.Topics;
import dev.servicehealth.model.catalog.Grain;

/**
 * The Pinot upsert tables the KPI rows are served from, one per grain, as written in {@code
 * deploy/pinot}: {@code <table>.schema.json} and {@code <table>.table.json}.
 */
public enum KpiTable {
    SERVICE("service_kpi", Topics.KPI_SERVICE, Grain.SERVICE),
    DRILLDOWN("drilldown_kpi", Topics.KPI_DRILLDOWN, Grain.DRILLDOWN),
    SATURATION("saturation_kpi", Topics.KPI_SATURATION, Grain.SATURATION);

    /** The placeholder the deployed table configs carry for the Kafka bootstrap servers. */
    public static final String BOOTSTRAP_PLACEHOLDER = "${KAFKA_BOOTSTRAP_SERVERS}";

    private final String tableName;
    private final String topic;
    private final Grain grain;

    KpiTable(String tableName, String topic, Grain grain) {
        this.tableName = tableName;
        this.topic = topic;
        this.grain = grain;
    }

    public String tableName() {
        return tableName;
    }

    /** The topic the deployed table config consumes. */
    public String topic() {
        return topic;
    }

    public Grain grain() {
        return grain;
    }

    /** The schema as deployed. */
    public JsonNode schema() {
        return Manifests.read(tableName + ".schema.json");
    }

    /** The table config as deployed, with the bootstrap servers still a placeholder. */
    public ObjectNode tableConfig() {
        return (ObjectNode) Manifests.read(tableName + ".table.json");
    }

    /**
     * The table config for one environment: the given broker, topic and number of replicas per
     * partition (no more than the servers that host it).
     */
    public ObjectNode tableConfig(String bootstrapServers, String topic, int replicas) {
        return Manifests.tableConfig(tableName, bootstrapServers, topic, replicas);
    }
}
