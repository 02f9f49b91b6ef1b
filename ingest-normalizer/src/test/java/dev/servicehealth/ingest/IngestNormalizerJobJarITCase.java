package dev.servicehealth.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.testing.JobJar;
import org.junit.jupiter.api.Test;

/** The job's shaded jar, opened the way {@code flink run} opens it. */
class IngestNormalizerJobJarITCase {

    @Test
    void flinkRunBuildsTheJobGraphFromTheJar() throws Exception {
        JobJar jar = JobJar.ofModuleUnderTest();

        assertThat(jar.problems(IngestNormalizerJob.class)).isEmpty();
        assertThat(jar.jobGraphVertices(2, "--bootstrap-servers", "127.0.0.1:9092"))
                .anyMatch(vertex -> vertex.contains("raw-requests"))
                .anyMatch(vertex -> vertex.contains("raw-metrics"))
                .anyMatch(vertex -> vertex.contains("dead-letter-topic"))
                .anyMatch(vertex -> vertex.contains("schema-drift-topic"));
    }
}
