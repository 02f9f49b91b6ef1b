package dev.servicehealth.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.testing.JobJar;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's shaded jar, opened the way {@code flink run} opens it: its main creates the tables in a
 * SQLite catalog with the Iceberg, Hadoop and JDBC classes of the jar alone, and builds the graph.
 */
class IcebergSinkJobJarITCase {
    @TempDir Path tmp;

    @Test
    void flinkRunBuildsTheJobGraphFromTheJar() throws Exception {
        JobJar jar = JobJar.ofModuleUnderTest();

        assertThat(jar.problems(IcebergSinkJob.class)).isEmpty();
        assertThat(
                        jar.jobGraphVertices(
                                2,
                                "--bootstrap-servers",
                                "127.0.0.1:9092",
                                "--catalog-uri",
                                "jdbc:sqlite:" + tmp.resolve("catalog.db"),
                                "--warehouse",
                                tmp.resolve("warehouse").toUri().toString()))
                .anyMatch(vertex -> vertex.contains("bronze.raw_records-IcebergStreamWriter"))
                .anyMatch(vertex -> vertex.contains("gold.kpi_service-IcebergFilesCommitter"));
    }
}
