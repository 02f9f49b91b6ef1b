package dev.servicehealth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PipelineMeterRegistryTest {
    @Test
    void aTakenMetricsPortDoesNotFailTheJob() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(PipelineMeterRegistry.forJob("test-job", taken.getLocalPort(), "127.0.0.1"))
                    .isNotNull();
        }
    }
}
