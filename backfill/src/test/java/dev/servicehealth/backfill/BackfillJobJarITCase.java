package dev.servicehealth.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.history.HistoryCatalog;
import dev.servicehealth.history.IcebergSinkJob;
import dev.servicehealth.testing.JobJar;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's shaded jar, opened the way the Flink Kubernetes operator's {@code flink run} opens it:
 * with the staged tables of a backfill made, its main builds the batch graph from the jar's classes
 * alone: bronze in, the staged tables out.
 */
class BackfillJobJarITCase {
    @TempDir Path tmp;

    @Test
    void flinkRunBuildsTheJobGraphFromTheJar() throws Exception {
        HistoryCatalog history = HistoryCatalog.inDirectory("service_health", tmp);
        IcebergSinkJob.prepareTables(history, true);
        BackfillConfig config =
                BackfillConfig.fromArgs(
                        "--from", "2026-11-30T10:00Z",
                        "--to", "2026-11-30T11:00Z",
                        "--reason", "a jar test",
                        "--generation", "1",
                        "--bootstrap-servers", "127.0.0.1:9092",
                        "--catalog-uri", history.uri(),
                        "--warehouse", history.warehouse());
        Catalog catalog = history.open();
        new StagedTables("bf_jar").create(catalog, config.goldTables());
        ((AutoCloseable) catalog).close();

        JobJar jar = JobJar.ofModuleUnderTest();

        assertThat(jar.problems(BackfillJob.class)).isEmpty();
        assertThat(
                        jar.jobGraphVertices(
                                2,
                                List.of(
                                                "--from", "2026-11-30T10:00Z",
                                                "--to", "2026-11-30T11:00Z",
                                                "--reason", "a jar test",
                                                "--generation", "1",
                                                "--backfill-id", "bf_jar",
                                                "--bootstrap-servers", "127.0.0.1:9092",
                                                "--catalog-uri", history.uri(),
                                                "--warehouse", history.warehouse())
                                        .toArray(String[]::new)))
                .anyMatch(vertex -> vertex.contains("bronze-raw-records"))
                .anyMatch(vertex -> vertex.contains("first-copy-wins"))
                .anyMatch(vertex -> vertex.contains("kpi-window"))
                .anyMatch(
                        vertex ->
                                vertex.contains("backfill.gold.kpi_service-IcebergFilesCommitter"));
    }
}
