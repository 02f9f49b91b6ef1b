package dev.servicehealth.pager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.testing.JobJar;
import org.junit.jupiter.api.Test;

/** The job's shaded jar, opened the way {@code flink run} opens it. */
class SloPagerJobJarITCase {

    @Test
    void flinkRunBuildsTheJobGraphFromTheJar() throws Exception {
        JobJar jar = JobJar.ofModuleUnderTest();

        assertThat(jar.problems(SloPagerJob.class)).isEmpty();
        assertThat(jar.jobGraphVertices(2, "--bootstrap-servers", "127.0.0.1:9092"))
                .anyMatch(vertex -> vertex.contains("burn-rates"))
                .anyMatch(vertex -> vertex.contains("pages-topic"));
    }
}
