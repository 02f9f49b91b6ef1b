package dev.servicehealth.bench;

import dev.servicehealth.ingest.IngestNormalizerConfig;
import dev.servicehealth.ingest.normalize.NormalizerSettings;
import dev.servicehealth.ingest.normalize.SourceKind;
import dev.servicehealth.model.privacy.TenantKeyFile;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;

/**
 * The normalizer's configuration for a benchmark: the bundled reference data, a random tenant key
 * in a temporary file, the job's default limits, and no scrape endpoint. Closing deletes the key.
 */
final class BenchSettings implements AutoCloseable {
    /** Gateway lines only: the records of {@link GatewayLines}. */
    static final Map<String, SourceKind> SOURCE_BY_TOPIC =
            Map.of(GatewayLines.TOPIC, SourceKind.GATEWAY);

    /** The job's defaults for max-record-bytes (64 KiB) and max-future-skew (5 min). */
    private static final int MAX_RECORD_BYTES = 64 * 1024;

    private static final long MAX_FUTURE_SKEW_MS = 300_000;

    private final Path keyFile;
    final NormalizerSettings settings;

    BenchSettings() {
        try {
            keyFile =
                    Files.createTempFile(
                            "bench-tenant-",
                            ".key",
                            PosixFilePermissions.asFileAttribute(
                                    PosixFilePermissions.fromString("rw-------")));
            TenantKeyFile.writeRandom(keyFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a tenant key file", e);
        }
        settings =
                new NormalizerSettings(
                        null,
                        null,
                        null,
                        keyFile.toString(),
                        MAX_RECORD_BYTES,
                        MAX_FUTURE_SKEW_MS,
                        IngestNormalizerConfig.MAX_NEW_ENDPOINTS_PER_MINUTE.defaultValue(),
                        IngestNormalizerConfig.DRIFT_REPORT_INTERVAL.defaultValue().toMillis(),
                        IngestNormalizerConfig.MAX_OUT_OF_ORDERNESS.defaultValue().toMillis(),
                        IngestNormalizerConfig.IDLENESS.defaultValue().toMillis(),
                        -1,
                        "127.0.0.1",
                        NormalizerSettings.IngestClock.WALL_CLOCK);
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(keyFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + keyFile, e);
        }
    }

    /**
     * Which Micrometer registry the normalizer's meters land in. The job's default metrics-port
     * (9250) puts a Prometheus registry behind Micrometer's global registry, so every counter and
     * the event-lag percentiles are really recorded; with metrics-port -1 the global registry has
     * no member and the meters cost next to nothing.
     */
    enum Meters {
        PROMETHEUS,
        NONE;

        static Meters parse(String text) {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        }

        /** Attaches the registry (without a scrape endpoint); {@code null} for {@link #NONE}. */
        PrometheusMeterRegistry attach() {
            if (this == NONE) {
                return null;
            }
            PrometheusMeterRegistry registry =
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            Metrics.addRegistry(registry);
            return registry;
        }

        static void detach(PrometheusMeterRegistry registry) {
            if (registry != null) {
                Metrics.removeRegistry(registry);
                registry.close();
            }
        }
    }
}
