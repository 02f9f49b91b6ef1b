package dev.servicehealth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AggregatorPipelineBenchTest {

    /** Proves the benchmark wiring works, not how fast it is: the machine is shared. */
    @Test
    @Timeout(180)
    void everyVariantAggregatesTheSkewedTrafficIntoRows() throws Exception {
        AggregatorPipelineBench.Options options =
                AggregatorPipelineBench.Options.parse(
                        new String[] {
                            "--events", "40000", "--runs", "1", "--minutes", "2", "--rate", "200"
                        });
        List<String> lines = new ArrayList<>();

        List<AggregatorPipelineBench.Run> runs = AggregatorPipelineBench.run(options, lines::add);

        assertThat(runs)
                .extracting(AggregatorPipelineBench.Run::variant)
                .containsExactly(AggregatorPipelineBench.Variant.values());
        assertThat(runs).allSatisfy(run -> assertThat(run.rows()).isPositive());
        assertThat(runs).allSatisfy(run -> assertThat(run.perCpuSecond()).isPositive());
        assertThat(lines).anyMatch(line -> line.startsWith("DRILLDOWN grain:"));
    }

    @Test
    void rejectsAnUnknownOptionByName() {
        assertThatThrownBy(
                        () -> AggregatorPipelineBench.Options.parse(new String[] {"--keys", "5"}))
                .hasMessageStartingWith("--keys");
    }
}
