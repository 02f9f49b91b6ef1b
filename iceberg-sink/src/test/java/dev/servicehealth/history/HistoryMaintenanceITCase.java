package dev.servicehealth.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servicehealth.model.catalog.PipelineMetric;
import dev.servicehealth.runtime.FlinkMetricsBridgeFactory;
import dev.servicehealth.testing.FailoverMiniCluster;
import dev.servicehealth.testing.SharedKafkaBroker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Iceberg's table maintenance inside the running sink, on a real broker and the real catalog: while
 * raw records keep arriving and the bronze writer commits every second, the many small files of
 * those commits are compacted into few, the table answers the same (every record once), old
 * snapshots are expired, and an orphan file old enough is deleted while a young one, as a writer's
 * file not yet committed would be, is kept. A partition older than compaction looks back (its files
 * in the cold storage class in production) keeps its small files.
 */
class HistoryMaintenanceITCase {
    private static final int BATCHES = 50;
    private static final int RECORDS_PER_BATCH = 20;
    private static final int SNAPSHOTS_RETAINED = 5;
    private static final int COMPACT_AT_FILES = 10;
    private static final int OLD_FILES = 12;
    private static final String OLD_SOURCE = "raw.of-ten-days-ago";

    @RegisterExtension static final SharedKafkaBroker KAFKA = new SharedKafkaBroker();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            FailoverMiniCluster.spreadOver(
                    1, 2, FlinkMetricsBridgeFactory.installInto(new Configuration()));

    @TempDir Path tmp;

    @BeforeAll
    static void countMeters() {
        Metrics.addRegistry(new SimpleMeterRegistry());
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void compactsExpiresAndRemovesOrphansWhileTheWriterCommits() throws Exception {
        HistoryCatalog catalog = HistoryCatalog.inDirectory("maintenance", tmp);
        IcebergSinkJob.prepareTables(catalog, true);
        Catalog tables = catalog.open();
        Table bronze = tables.loadTable(HistoryTable.RAW_RECORDS.identifier());
        Path data = Path.of(URI.create(bronze.location())).resolve("data");
        Files.createDirectories(data);
        Path oldOrphan = Files.write(data.resolve("orphan-of-a-failed-job.parquet"), new byte[8]);
        Files.setLastModifiedTime(
                oldOrphan, FileTime.from(Instant.now().minus(Duration.ofDays(4))));
        Path youngOrphan = Files.write(data.resolve("not-yet-committed.parquet"), new byte[8]);
        // an old partition of small files, older than compact-recent: compaction leaves it alone
        Instant old = Instant.now().minus(Duration.ofDays(10));
        for (int i = 0; i < OLD_FILES; i++) {
            Record row = HistoryRows.at(bronze, HistoryTable.RAW_RECORDS, old, i);
            row.setField("source", OLD_SOURCE);
            HistoryRows.append(bronze, row);
        }

        IcebergSinkFixture.Topics topics = topics();
        JobClient sink = start(catalog, topics);
        List<String> produced = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(KAFKA.producerProperties())) {
            for (int batch = 0; batch < BATCHES; batch++) {
                for (int i = 0; i < RECORDS_PER_BATCH; i++) {
                    producer.send(
                            new ProducerRecord<>(
                                    topics.raw().get(0),
                                    i % 2,
                                    null,
                                    ("line " + batch + "/" + i).getBytes(StandardCharsets.UTF_8)),
                            (metadata, e) -> {
                                if (e == null) {
                                    synchronized (produced) {
                                        produced.add(
                                                metadata.partition() + "@" + metadata.offset());
                                    }
                                }
                            });
                }
                producer.flush();
                Thread.sleep(500);
            }
        }
        try {
            awaitTrue(
                    "every record committed",
                    () ->
                            HistoryRows.committedRows(
                                            tables.loadTable(HistoryTable.RAW_RECORDS.identifier()))
                                    == (long) BATCHES * RECORDS_PER_BATCH + OLD_FILES);
            awaitTrue(
                    "the small files compacted",
                    () -> dataFiles(tables, false) <= COMPACT_AT_FILES + 2);
            awaitTrue("the old orphan deleted", () -> !Files.exists(oldOrphan));

            assertThat(committedDataFiles())
                    .as("data files the writer committed, before compaction")
                    .isGreaterThanOrEqualTo(3L * COMPACT_AT_FILES);
            List<String> rows =
                    HistoryRows.read(tables.loadTable(HistoryTable.RAW_RECORDS.identifier()))
                            .stream()
                            .filter(r -> !r.getField("source").equals(OLD_SOURCE))
                            .map(
                                    r ->
                                            r.getField("kafka_partition")
                                                    + "@"
                                                    + r.getField("kafka_offset"))
                            .toList();
            assertThat(rows).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(produced);
            // expiry runs every SNAPSHOTS_RETAINED commits (compactions and empty commits go on),
            // so the count swings between the retained and about twice that, and is awaited;
            // without expiry it only grows
            awaitTrue(
                    "snapshots expired down to at most twice the retained",
                    () -> snapshots(tables).size() <= 2 * SNAPSHOTS_RETAINED);
            assertThat(snapshots(tables).get(0).sequenceNumber())
                    .as("the oldest snapshot left is not the first")
                    .isGreaterThan(SNAPSHOTS_RETAINED);
            assertThat(youngOrphan).as("a file younger than orphan-min-age").exists();
            assertThat(dataFiles(tables, true))
                    .as("files of the partition older than compact-recent")
                    .isEqualTo(OLD_FILES);
        } finally {
            sink.cancel().get();
            ((AutoCloseable) tables).close();
        }
    }

    private static IcebergSinkFixture.Topics topics() {
        List<String> names = new ArrayList<>();
        for (String name :
                List.of(
                        "gateway",
                        "auth",
                        "metrics",
                        "status",
                        "dead-letters",
                        "requests",
                        "samples",
                        "statuses",
                        "history",
                        "too-late")) {
            names.add(KAFKA.createTopic("maintenance." + name, 2));
        }
        return new IcebergSinkFixture.Topics(
                names.subList(0, 4),
                names.get(4),
                names.get(5),
                names.get(6),
                names.get(7),
                names.get(8),
                names.get(9));
    }

    private static JobClient start(HistoryCatalog catalog, IcebergSinkFixture.Topics topics)
            throws Exception {
        return IcebergSinkFixture.start(
                KAFKA.bootstrapServers(),
                catalog,
                topics,
                "it-maintenance",
                Map.of(
                        "compact-at-files", Integer.toString(COMPACT_AT_FILES),
                        "snapshots-retained", Integer.toString(SNAPSHOTS_RETAINED),
                        "snapshot-max-age", "1 s",
                        "orphan-min-age", "1 h",
                        "orphan-interval", "5 s",
                        "maintenance-rate-limit", "2 s"));
    }

    private static List<Snapshot> snapshots(Catalog tables) {
        List<Snapshot> snapshots = new ArrayList<>();
        tables.loadTable(HistoryTable.RAW_RECORDS.identifier()).snapshots().forEach(snapshots::add);
        return snapshots;
    }

    /** Data files of the old partition, or of all the others. */
    private static int dataFiles(Catalog tables, boolean oldPartition) {
        int files = 0;
        try (CloseableIterable<FileScanTask> tasks =
                tables.loadTable(HistoryTable.RAW_RECORDS.identifier())
                        .newScan()
                        .filter(
                                oldPartition
                                        ? Expressions.equal("source", OLD_SOURCE)
                                        : Expressions.notEqual("source", OLD_SOURCE))
                        .planFiles()) {
            for (FileScanTask ignored : tasks) {
                files++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** Data files the bronze writer committed, from Iceberg's committer counter. */
    private static double committedDataFiles() {
        return Metrics.globalRegistry
                .find(PipelineMetric.HISTORY_COMMITTED_DATA_FILES.meterName())
                .functionCounters()
                .stream()
                .filter(c -> c.getId().getTag("table").contains("bronze.raw_records"))
                .mapToDouble(FunctionCounter::count)
                .sum();
    }

    private static void awaitTrue(String what, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited for: %s", what).isLessThan(deadline);
            Thread.sleep(500);
        }
    }
}
