package dev.servicehealth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class JobOptionsTest {

    static final class SampleJobConfig extends JobConfig {
        static final ConfigOption<String> INPUT_TOPIC =
                ConfigOptions.key("topic.input").stringType().defaultValue("in.v1");
        static final ConfigOption<Duration> RETENTION =
                ConfigOptions.key("retention").durationType().defaultValue(Duration.ofMinutes(30));
        static final JobOptions OPTIONS =
                JobOptions.declaredIn(SampleJobConfig.class, "sample-job", 9299);

        SampleJobConfig(Map<String, String> values) {
            super(values, OPTIONS);
        }
    }

    static final class TwiceDeclared {
        static final ConfigOption<Integer> PARALLEL =
                ConfigOptions.key("parallelism").intType().defaultValue(3);
    }

    @Test
    void acceptsTheSharedOptionsWithTheJobsDefaultsAndEveryOptionItDeclares() {
        // the shared ones first; the job's own in the order the class declares them, which the
        // JVM gives but does not promise, so in any order
        assertThat(SampleJobConfig.OPTIONS.all().subList(10, 12))
                .extracting(ConfigOption::key)
                .containsExactlyInAnyOrder("topic.input", "retention");
        assertThat(SampleJobConfig.OPTIONS.all())
                .extracting(ConfigOption::key)
                .containsExactlyInAnyOrder(
                        "bootstrap-servers",
                        "group-id",
                        "bounded",
                        "checkpoint-interval",
                        "checkpoint-dir",
                        "transaction-timeout",
                        "transactional-id-prefix",
                        "metrics-port",
                        "metrics-bind-address",
                        "parallelism",
                        "topic.input",
                        "retention");
        SampleJobConfig config =
                new SampleJobConfig(
                        Map.of("bootstrap-servers", "127.0.0.1:9092", "retention", "40 min"));
        assertThat(config.get(SampleJobConfig.OPTIONS.groupId())).isEqualTo("sample-job");
        assertThat(config.get(SampleJobConfig.OPTIONS.transactionalIdPrefix()))
                .isEqualTo("sample-job");
        assertThat(config.metricsPort()).isEqualTo(9299);
        assertThat(config.get(SampleJobConfig.RETENTION)).isEqualTo(Duration.ofMinutes(40));
        assertThat(SampleJobConfig.OPTIONS.usage())
                .startsWith("sample-job options:")
                .contains("--topic.input (default in.v1)", "--group-id (default sample-job)")
                .contains("Kafka bootstrap servers, host:port[,host:port]")
                .doesNotContain("Description@");
    }

    @Test
    void refusesAnOptionAJobDeclaresTwice() {
        assertThatThrownBy(() -> JobOptions.declaredIn(TwiceDeclared.class, "twice", 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'parallelism' twice");
    }

    @Test
    void failsAtStartNamingAnUnknownKeyABadValueOrAMissingBroker() {
        assertThatThrownBy(
                        () ->
                                new SampleJobConfig(
                                        Map.of("bootstrap-servers", "x", "colour", "red")))
                .hasMessageContaining("'colour'");
        assertThatThrownBy(
                        () ->
                                new SampleJobConfig(
                                        Map.of("bootstrap-servers", "x", "retention", "long")))
                .hasMessageContaining("retention");
        assertThatThrownBy(() -> new SampleJobConfig(Map.of()))
                .hasMessageContaining("--bootstrap-servers is required");
    }

    @Test
    void setsTheParallelismOnlyWhenOneIsGiven() {
        StreamExecutionEnvironment keeps = StreamExecutionEnvironment.createLocalEnvironment(3);
        new SampleJobConfig(Map.of("bootstrap-servers", "x")).configure(keeps);
        assertThat(keeps.getParallelism()).isEqualTo(3);
        assertThat(keeps.getCheckpointInterval()).isEqualTo(10_000);

        StreamExecutionEnvironment given = StreamExecutionEnvironment.createLocalEnvironment(3);
        new SampleJobConfig(Map.of("bootstrap-servers", "x", "parallelism", "2")).configure(given);
        assertThat(given.getParallelism()).isEqualTo(2);
    }
}
