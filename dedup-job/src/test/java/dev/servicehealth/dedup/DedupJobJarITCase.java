package dev.servicehealth.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.testing.JobJar;
import org.junit.jupiter.api.Test;

/** The job's shaded jar, opened the way {@code flink run} opens it. */
class DedupJobJarITCase {

    @Test
    void flinkRunBuildsTheJobGraphFromTheJar() throws Exception {
        JobJar jar = JobJar.ofModuleUnderTest();

        assertThat(jar.problems(DedupJob.class)).isEmpty();
        assertThat(jar.jobGraphVertices(2, "--bootstrap-servers", "127.0.0.1:9092"))
                .anyMatch(vertex -> vertex.contains("normalized-request"))
                .anyMatch(vertex -> vertex.contains("normalized-metric_sample"))
                .anyMatch(vertex -> vertex.contains("normalized-status"))
                .anyMatch(vertex -> vertex.contains("dedup-topic-request"));
    }
}
