package dev.servicehealth.serving;

import dev.servicehealth.aggregator.HealthPipelineFixture;
import dev.servicehealth.localpinot.PinotCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Every serving table deployed in a test's Pinot, each reading its topic of a pipeline fixture. */
public final class ServingTablesFixture {
    private ServingTablesFixture() {}

    /**
     * @param descriptorFile where the compiled event schema is written for Pinot's decoder
     */
    public static void deployFor(
            PinotCluster pinot,
            String bootstrapServers,
            HealthPipelineFixture pipeline,
            Path descriptorFile,
            int partitions)
            throws IOException {
        HealthPipelineFixture.KpiTopics kpi = pipeline.kpi();
        Map<KpiTable, String> topics =
                Map.of(
                        KpiTable.SERVICE, kpi.service(),
                        KpiTable.DRILLDOWN, kpi.drilldown(),
                        KpiTable.SATURATION, kpi.saturation());
        Map<EventLogTable, String> eventLogs =
                Map.of(
                        EventLogTable.STATUS_EVENTS, pipeline.dedup().status(),
                        EventLogTable.DEAD_LETTERS, pipeline.normalized().deadLetters(),
                        EventLogTable.TOO_LATE_EVENTS, kpi.tooLate(),
                        EventLogTable.SCHEMA_DRIFT, pipeline.normalized().schemaDrift());
        ServingTables.deploy(
                new PinotController(pinot.controller()),
                bootstrapServers,
                topics::get,
                eventLogs::get,
                descriptorFile,
                partitions,
                Duration.ofSeconds(60));
    }
}
