package dev.servicehealth.local;

import dev.servicehealth.aggregator.HealthAggregatorConfig;
import dev.servicehealth.aggregator.HealthAggregatorJob;
import dev.servicehealth.dedup.DedupJob;
import dev.servicehealth.dedup.DedupJobConfig;
import dev.servicehealth.history.HistoryCatalog;
import dev.servicehealth.history.IcebergSinkConfig;
import dev.servicehealth.history.IcebergSinkJob;
import dev.servicehealth.ingest.IngestNormalizerConfig;
import dev.servicehealth.ingest.IngestNormalizerJob;
import dev.servicehealth.localalertmanager.AlertReceiver;
import dev.servicehealth.localalertmanager.LocalAlertmanager;
import dev.servicehealth.localkafka.KafkaBroker;
import dev.servicehealth.localpinot.PinotCluster;
import dev.servicehealth.model.Topics;
import dev.servicehealth.model.privacy.TenantKeyFile;
import dev.servicehealth.notifier.Notifier;
import dev.servicehealth.notifier.NotifierConfig;
import dev.servicehealth.pager.SloPagerConfig;
import dev.servicehealth.pager.SloPagerJob;
import dev.servicehealth.runtime.FlinkMetricsBridgeFactory;
import dev.servicehealth.serving.EventLogTable;
import dev.servicehealth.serving.KpiTable;
import dev.servicehealth.serving.PinotController;
import dev.servicehealth.serving.ServingTables;
import io.micrometer.core.instrument.Metrics;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The pipeline on one machine, as the local run and its tests start it: a real Kafka broker with
 * every topic, a real Pinot with the serving tables deployed, the normalizer, the dedup job, the
 * aggregator, the iceberg-sink and the SLO pager on in-process Flink with their state in the run's
 * folder, and a real Alertmanager that the notifier posts the pages to, routing them to a local
 * receiver; everything on 127.0.0.1, with a fresh tenant key per run. Closing stops the notifier,
 * cancels the jobs, stops Alertmanager, then Pinot (before the broker, whose end would leave
 * Pinot's consumers retrying), then the broker.
 */
final class LocalStack implements AutoCloseable {
    static final int PARTITIONS = 4;

    private final Path runDir;
    private final int metricsPort;
    private final KafkaBroker broker;
    private final List<JobClient> jobs = new ArrayList<>();
    private PinotCluster pinot;
    private Path tenantKey;
    private AlertReceiver receiver;
    private LocalAlertmanager alertmanager;
    private Notifier notifier;

    private LocalStack(Path runDir, int metricsPort, KafkaBroker broker) {
        this.runDir = runDir;
        this.metricsPort = metricsPort;
        this.broker = broker;
    }

    /**
     * Starts everything in {@code runDir}, telling {@code out} where each part is.
     *
     * @param metricsPort the jobs' Prometheus scrape port; -1 for none
     */
    static LocalStack start(Path runDir, int metricsPort, PrintStream out) throws Exception {
        Files.createDirectories(runDir);
        out.println("starting Kafka (KRaft, 127.0.0.1) …");
        LocalStack stack =
                new LocalStack(runDir, metricsPort, KafkaBroker.start(runDir.resolve("kafka")));
        try {
            stack.createTopics();
            out.println(
                    "Kafka at "
                            + stack.bootstrapServers()
                            + " (log "
                            + stack.broker.logFile()
                            + ")");
            out.println("starting Pinot (ZooKeeper, controller, broker, server) …");
            stack.pinot = PinotCluster.start(runDir.resolve("pinot"));
            stack.deployServingTables();
            out.println(
                    "Pinot broker at "
                            + stack.pinot.broker()
                            + ", controller (UI) at "
                            + stack.pinot.controller()
                            + " (log "
                            + stack.pinot.logFile()
                            + ")");
            stack.startJobs();
            stack.startAlerting();
            out.println(
                    "Alertmanager at "
                            + stack.alertmanager.url()
                            + " (UI and API; pages and tickets routed to a local receiver, log "
                            + runDir.resolve("alertmanager/alertmanager.log")
                            + ")");
            return stack;
        } catch (Exception e) {
            stack.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    URI pinotBroker() {
        return pinot.broker();
    }

    LocalAlertmanager alertmanager() {
        return alertmanager;
    }

    /** What Alertmanager sent on: webhook notifications and PagerDuty events. */
    AlertReceiver alertReceiver() {
        return receiver;
    }

    /** The run's HMAC key file, for the on-call CLI's tenant queries. */
    Path tenantKey() {
        return tenantKey;
    }

    private void createTopics() {
        broker.createTopics(
                PARTITIONS,
                Topics.RAW_GATEWAY,
                Topics.RAW_AUTH,
                Topics.RAW_METRICS,
                Topics.RAW_STATUS,
                Topics.NORMALIZED_REQUESTS,
                Topics.NORMALIZED_METRICS,
                Topics.NORMALIZED_STATUS,
                Topics.DEAD_LETTER_INGEST,
                Topics.SCHEMA_DRIFT,
                Topics.DEDUP_REQUESTS,
                Topics.DEDUP_METRICS,
                Topics.DEDUP_STATUS,
                Topics.KPI_SERVICE,
                Topics.KPI_DRILLDOWN,
                Topics.KPI_SATURATION,
                Topics.KPI_HISTORY,
                Topics.KPI_TOO_LATE);
        broker.createCompactedTopic(Topics.REFERENCE_UPDATES, 1);
        // the notifier's state: the latest record of each page
        broker.createCompactedTopic(Topics.PAGES, PARTITIONS);
    }

    /** The deployed Pinot manifests, on this broker, one replica (one server). */
    private void deployServingTables() throws IOException {
        ServingTables.deploy(
                new PinotController(pinot.controller()),
                bootstrapServers(),
                KpiTable::topic,
                EventLogTable::topic,
                runDir.resolve("pinot/service_health_events.desc"),
                PARTITIONS,
                Duration.ofSeconds(60));
    }

    private void startJobs() throws Exception {
        tenantKey = runDir.resolve("tenant.key");
        TenantKeyFile.writeRandom(tenantKey);
        StreamExecutionEnvironment normalizer = localFlink();
        IngestNormalizerJob.defineWorkflow(
                normalizer,
                IngestNormalizerConfig.fromMap(
                        Map.of(
                                "bootstrap-servers",
                                bootstrapServers(),
                                "checkpoint-interval",
                                "5 s",
                                "tenant-key-file",
                                tenantKey.toString(),
                                // a replay at speed lasts seconds: report drift while it plays
                                "drift-report-interval",
                                "5 s",
                                "metrics-port",
                                String.valueOf(metricsPort))));
        jobs.add(normalizer.executeAsync("ingest-normalizer"));
        StreamExecutionEnvironment dedup = localFlink();
        DedupJob.defineWorkflow(dedup, DedupJobConfig.fromMap(stateJobArgs("dedup-job")));
        jobs.add(dedup.executeAsync("dedup-job"));
        StreamExecutionEnvironment aggregator = localFlink();
        HealthAggregatorJob.defineWorkflow(
                aggregator, HealthAggregatorConfig.fromMap(stateJobArgs("health-aggregator")));
        jobs.add(aggregator.executeAsync("health-aggregator"));
        Files.createDirectories(runDir.resolve("history"));
        IcebergSinkJob.prepareTables(history().catalog(), true);
        StreamExecutionEnvironment sink = localFlink();
        IcebergSinkJob.defineWorkflow(sink, history());
        jobs.add(sink.executeAsync("iceberg-sink"));
        StreamExecutionEnvironment pager = localFlink();
        SloPagerJob.defineWorkflow(pager, SloPagerConfig.fromMap(stateJobArgs("slo-pager")));
        jobs.add(pager.executeAsync("slo-pager"));
    }

    /** Alertmanager routing to a receiver of the run, and the notifier posting the pages to it. */
    private void startAlerting() throws IOException {
        receiver = AlertReceiver.start();
        alertmanager = LocalAlertmanager.start(runDir.resolve("alertmanager"), receiver);
        notifier =
                Notifier.startInBackground(
                        NotifierConfig.fromArgs(
                                "--bootstrap-servers",
                                bootstrapServers(),
                                "--alertmanager-url",
                                alertmanager.url().toString(),
                                "--metrics-port",
                                String.valueOf(metricsPort)),
                        Metrics.globalRegistry);
    }

    /**
     * The iceberg-sink's arguments: the history tables in the run's folder, a SQLite catalog and a
     * file:// warehouse (decision 0010), committed every 10 s.
     */
    IcebergSinkConfig history() {
        Path history = runDir.resolve("history");
        Map<String, String> args = new HashMap<>(stateJobArgs("iceberg-sink"));
        args.put("checkpoint-interval", "10 s");
        HistoryCatalog catalog = HistoryCatalog.inDirectory("service_health", history);
        args.put("catalog-uri", catalog.uri());
        args.put("warehouse", catalog.warehouse());
        return IcebergSinkConfig.fromMap(args);
    }

    /** The arguments of a job with state: checkpoints kept in the run's folder. */
    private Map<String, String> stateJobArgs(String job) {
        return Map.of(
                "bootstrap-servers",
                bootstrapServers(),
                "checkpoint-interval",
                "5 s",
                "checkpoint-dir",
                runDir.resolve("checkpoints/" + job).toUri().toString(),
                "metrics-port",
                String.valueOf(metricsPort));
    }

    /**
     * An in-process Flink for one job: REST on 127.0.0.1 at a free port, and Flink's checkpoint and
     * RocksDB gauges bridged into the meters the live view and the scrape endpoint show.
     */
    private static StreamExecutionEnvironment localFlink() {
        Configuration flink = new Configuration();
        flink.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        flink.set(RestOptions.ADDRESS, "127.0.0.1");
        flink.set(RestOptions.BIND_PORT, "0");
        return StreamExecutionEnvironment.createLocalEnvironment(
                2, FlinkMetricsBridgeFactory.installInto(flink));
    }

    @Override
    public void close() throws Exception {
        if (notifier != null) {
            notifier.close();
            notifier = null;
        }
        // in the reverse order of their start: the pager first, the normalizer last
        for (int i = jobs.size() - 1; i >= 0; i--) {
            jobs.get(i).cancel().get(30, TimeUnit.SECONDS);
        }
        jobs.clear();
        if (alertmanager != null) {
            alertmanager.close();
            alertmanager = null;
        }
        if (receiver != null) {
            receiver.close();
            receiver = null;
        }
        if (pinot != null) {
            pinot.close();
            pinot = null;
        }
        broker.close();
    }
}
