package dev.servicehealth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class NormalizerPipelineBenchTest {

    /** Proves the benchmark wiring works, not how fast it is: the machine is shared. */
    @Test
    @Timeout(60)
    void normalizesEveryPooledRecordIntoAnEventOrADeadLetter() throws Exception {
        NormalizerPipelineBench.Options options =
                NormalizerPipelineBench.Options.parse(
                        new String[] {
                            "--events",
                            "20000",
                            "--lines",
                            "5000",
                            "--runs",
                            "1",
                            "--warmup-events",
                            "0"
                        });

        List<NormalizerPipelineBench.Run> runs = NormalizerPipelineBench.run(options);

        assertThat(runs).hasSize(1);
        NormalizerPipelineBench.Run run = runs.get(0);
        assertThat(run.eventsOut() + run.deadLetters()).isEqualTo(20_000);
        assertThat(run.eventsOut()).isGreaterThan(19_000);
        assertThat(run.eventsPerCpuSecond()).isPositive();
    }

    @Test
    void rejectsAnUnknownOptionByName() {
        assertThatThrownBy(
                        () -> NormalizerPipelineBench.Options.parse(new String[] {"--evnts", "5"}))
                .hasMessageStartingWith("--evnts");
    }
}
