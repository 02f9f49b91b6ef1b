package dev.servicehealth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class DedupPipelineBenchTest {

    /** Proves the benchmark wiring works, not how fast it is: the machine is shared. */
    @Test
    @Timeout(120)
    void everyVariantWritesEachDistinctRequestOnce() throws Exception {
        DedupPipelineBench.Options options =
                DedupPipelineBench.Options.parse(
                        new String[] {
                            "--preload",
                            "20000",
                            "--events",
                            "30000",
                            "--runs",
                            "1",
                            "--retry-percent",
                            "10"
                        });

        List<DedupPipelineBench.Run> runs = DedupPipelineBench.run(options, run -> {});

        assertThat(runs)
                .extracting(DedupPipelineBench.Run::variant)
                .containsExactly(DedupPipelineBench.Variant.values());
        long distinct = RetriedRequests.distinctRequests(50_000, 10);
        assertThat(distinct).isLessThan(50_000);
        assertThat(runs).allSatisfy(run -> assertThat(run.written()).isEqualTo(distinct));
        assertThat(runs).allSatisfy(run -> assertThat(run.perCpuSecond()).isPositive());
    }

    @Test
    void rejectsAnUnknownOptionByName() {
        assertThatThrownBy(() -> DedupPipelineBench.Options.parse(new String[] {"--keys", "5"}))
                .hasMessageStartingWith("--keys");
    }
}
