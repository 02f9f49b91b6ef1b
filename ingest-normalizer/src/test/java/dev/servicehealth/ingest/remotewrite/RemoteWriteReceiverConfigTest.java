package dev.servicehealth.ingest.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servicehealth.model.Topics;
import org.junit.jupiter.api.Test;

class RemoteWriteReceiverConfigTest {

    @Test
    void parsesArgumentsWithDefaults() {
        RemoteWriteReceiverConfig config =
                RemoteWriteReceiverConfig.fromArgs("--bootstrap-servers", "127.0.0.1:9092");

        assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(config.topic()).isEqualTo(Topics.RAW_METRICS);
        assertThat(config.port()).isEqualTo(RemoteWriteReceiverConfig.DEFAULT_PORT);
        assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void parsesEveryArgument() {
        RemoteWriteReceiverConfig config =
                RemoteWriteReceiverConfig.fromArgs(
                        "--port", "0", "--topic", "raw.metrics.test", "--bootstrap-servers", "k:1");

        assertThat(config.port()).isZero();
        assertThat(
                        RemoteWriteReceiverConfig.fromArgs(
                                        "--bootstrap-servers", "k:1", "--bind-address", "0.0.0.0")
                                .bindAddress())
                .isEqualTo("0.0.0.0");
        assertThat(config.topic()).isEqualTo("raw.metrics.test");
    }

    @Test
    void failsFastNamingTheBadArgument() {
        assertThatThrownBy(() -> RemoteWriteReceiverConfig.fromArgs("--bootstrap-server", "k:1"))
                .hasMessageContaining("--bootstrap-server");
        assertThatThrownBy(() -> RemoteWriteReceiverConfig.fromArgs("--topic", "t"))
                .hasMessageContaining("--bootstrap-servers");
        assertThatThrownBy(
                        () ->
                                RemoteWriteReceiverConfig.fromArgs(
                                        "--bootstrap-servers", "k:1", "--port"))
                .hasMessageContaining("--port");
        assertThatThrownBy(
                        () ->
                                RemoteWriteReceiverConfig.fromArgs(
                                        "--bootstrap-servers", "k:1", "--port", "http"))
                .hasMessageContaining("--port");
        assertThatThrownBy(
                        () ->
                                RemoteWriteReceiverConfig.fromArgs(
                                        "--bootstrap-servers", "k:1", "--port", "70000"))
                .hasMessageContaining("port");
    }

    @Test
    void acceptsOnlyRemoteWrite1ContentTypes() {
        assertThat(RemoteWriteReceiver.isRemoteWriteV1("application/x-protobuf")).isTrue();
        assertThat(
                        RemoteWriteReceiver.isRemoteWriteV1(
                                "Application/X-Protobuf; proto=prometheus.WriteRequest"))
                .isTrue();
        assertThat(
                        RemoteWriteReceiver.isRemoteWriteV1(
                                "application/x-protobuf;proto=io.prometheus.write.v2.Request"))
                .isFalse();
        assertThat(RemoteWriteReceiver.isRemoteWriteV1("application/json")).isFalse();
        assertThat(RemoteWriteReceiver.isRemoteWriteV1(null)).isFalse();
    }
}
