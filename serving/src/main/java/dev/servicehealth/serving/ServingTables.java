package dev.servicehealth.serving;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * Every table of {@code deploy/pinot} on a one-server Pinot (the local run's and the tests'): the
 * KPI upsert tables and the event log tables, one replica per partition, each consuming the topic
 * given for it.
 */
public final class ServingTables {
    private ServingTables() {}

    /**
     * Deploys every schema and table and returns once each table consumes every partition.
     *
     * @param descriptorFile where the compiled event schema is written for the protobuf tables
     * @throws PinotException if a table is not consuming within {@code timeout}
     */
    public static void deploy(
            PinotController controller,
            String bootstrapServers,
            Function<KpiTable, String> kpiTopics,
            Function<EventLogTable, String> eventLogTopics,
            Path descriptorFile,
            int partitions,
            Duration timeout)
            throws IOException {
        for (KpiTable table : KpiTable.values()) {
            controller.putSchema(table.schema());
            controller.addTable(table.tableConfig(bootstrapServers, kpiTopics.apply(table), 1));
        }
        Path descriptor = EventLogTable.writeDescriptor(descriptorFile);
        for (EventLogTable table : EventLogTable.values()) {
            controller.putSchema(table.schema());
            controller.addTable(
                    table.tableConfig(
                            bootstrapServers, eventLogTopics.apply(table), 1, descriptor));
        }
        for (KpiTable table : KpiTable.values()) {
            controller.awaitConsuming(table.tableName(), partitions, timeout);
        }
        for (EventLogTable table : EventLogTable.values()) {
            controller.awaitConsuming(table.tableName(), partitions, timeout);
        }
    }
}
