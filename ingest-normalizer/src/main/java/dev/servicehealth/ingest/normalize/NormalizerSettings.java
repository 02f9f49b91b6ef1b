package dev.servicehealth.ingest.normalize;

import dev.servicehealth.ingest.reference.ReferenceFeed;
import dev.servicehealth.model.privacy.TenantKeyFile;
import dev.servicehealth.model.privacy.TenantTokenizer;
import dev.servicehealth.model.reference.ReferenceData;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the normalizer function needs on the task managers. Secrets are not part of it: only where
 * to find the tenant key (a file, or the {@value TenantTokenizer#KEY_ENV} environment variable),
 * resolved in {@code open()} so the key never travels inside the job graph.
 *
 * @param referenceDir directory with the seeds CSV files, or {@code null} for the bundled copy
 * @param bootstrapServers Kafka, for the reference topic
 * @param referenceTopic compacted topic of reference updates, or {@code null} for the seeds alone
 * @param tenantKeyFile file holding the base64 tenant key, or {@code null} to read the env var
 * @param maxRecordBytes larger raw records are dead-lettered as record_too_large
 * @param maxFutureSkewMs request and status events further ahead of the ingest clock are
 *     dead-lettered as event_time_in_future
 * @param maxNewEndpointsPerMinute how many endpoints outside the catalog one source may make in an
 *     event-time minute before the excess is folded into 'other' (per subtask)
 * @param driftReportIntervalMs how often each subtask reports the schema drift it counted
 * @param maxOutOfOrdernessMs how far a raw partition's watermark stays behind its newest Kafka
 *     timestamp; the clock each normalized record carries is that watermark
 * @param idlenessMs a raw partition silent for this long is logged as idle
 * @param metricsPort port of the per-JVM Prometheus scrape endpoint; negative disables it
 * @param metricsBindAddress address that endpoint binds to
 * @param ingestClock what "now" is for a record: when it is normalized, or, replaying bronze, when
 *     it reached its raw topic
 */
public record NormalizerSettings(
        String referenceDir,
        String bootstrapServers,
        String referenceTopic,
        String tenantKeyFile,
        int maxRecordBytes,
        long maxFutureSkewMs,
        int maxNewEndpointsPerMinute,
        long driftReportIntervalMs,
        long maxOutOfOrdernessMs,
        long idlenessMs,
        int metricsPort,
        String metricsBindAddress,
        IngestClock ingestClock)
        implements Serializable {

    /** Where a record's ingest time, and the bound of its event time's future skew, comes from. */
    public enum IngestClock {
        /** The wall clock when the record is normalized: the streaming job. */
        WALL_CLOCK,
        /**
         * The raw record's Kafka timestamp: a replay of bronze judges each record by when it
         * arrived, not by when it is replayed, so it dead-letters what the stream did.
         */
        RECORD_TIMESTAMP
    }

    public NormalizerSettings {
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes must be positive");
        }
        if (driftReportIntervalMs <= 0) {
            throw new IllegalArgumentException("driftReportIntervalMs must be positive");
        }
        if (maxNewEndpointsPerMinute < 0) {
            throw new IllegalArgumentException("maxNewEndpointsPerMinute must not be negative");
        }
        if (maxFutureSkewMs < 0) {
            throw new IllegalArgumentException("maxFutureSkewMs must not be negative");
        }
        if (ingestClock == null) {
            throw new IllegalArgumentException("ingestClock is required");
        }
    }

    ReferenceFeed referenceFeed(ReferenceFeed.Listener listener) {
        ReferenceData seeds = referenceData();
        return referenceTopic == null
                ? ReferenceFeed.seedsOnly(seeds)
                : ReferenceFeed.start(
                        bootstrapServers, referenceTopic, seeds, listener, Duration.ofSeconds(60));
    }

    ReferenceData referenceData() {
        return referenceDir == null
                ? ReferenceData.bundled()
                : ReferenceData.fromDirectory(Path.of(referenceDir));
    }

    TenantTokenizer tenantTokenizer() {
        if (tenantKeyFile != null) {
            try {
                return TenantKeyFile.read(Path.of(tenantKeyFile));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read tenant key file " + tenantKeyFile, e);
            }
        }
        String base64 = System.getenv(TenantTokenizer.KEY_ENV);
        if (base64 == null || base64.isBlank()) {
            throw new IllegalStateException(
                    "no tenant key: set " + TenantTokenizer.KEY_ENV + " or a key file");
        }
        return TenantTokenizer.fromBase64Key(base64);
    }
}
