package dev.servicehealth.local;

import dev.servicehealth.aggregator.HealthAggregatorConfig;
import dev.servicehealth.aggregator.HealthAggregatorJob;
import dev.servicehealth.dedup.DedupJob;
import dev.servicehealth.dedup.DedupJobConfig;
import dev.servicehealth.ingest.IngestNormalizerConfig;
import dev.servicehealth.ingest.IngestNormalizerJob;
import dev.servicehealth.localkafka.KafkaBroker;
import dev.servicehealth.localpinot.PinotCluster;
import dev.servicehealth.model.Topics;
import dev.servicehealth.model.privacy.TenantKeyFile;
import dev.servicehealth.runtime.FlinkMetricsBridgeFactory;
import dev.servicehealth.serving.EventLogTable;
import dev.servicehealth.serving.IncidentQuery;
import dev.servicehealth.serving.KpiTable;
import dev.servicehealth.serving.PinotController;
import dev.servicehealth.serving.ServingTables;
import dev.servicehealth.simulator.SimulatorMain;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The embedded default: a real Kafka broker, the jobs on an in-process Flink, and the traffic
 * simulator playing a scenario in real time, with a live view of the jobs' meters. Everything binds
 * to 127.0.0.1; Ctrl-C stops the simulator, cancels the jobs and stops the broker.
 */
public final class LocalRun {
    private static final int PARTITIONS = 4;
    private static final long FRAME_MS = 2_000;

    private final LocalRunOptions options;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private LocalRun(LocalRunOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        LocalRunOptions options;
        try {
            options = LocalRunOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(LocalRunOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(LocalRunOptions.USAGE);
            return;
        }
        new LocalRun(options).run();
    }

    private void run() throws Exception {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(this::requestStopAndWait, "local-run-stop"));
        Path runDir =
                options.dataDir()
                        .resolve(
                                "run-"
                                        + LocalDateTime.now()
                                                .format(
                                                        DateTimeFormatter.ofPattern(
                                                                "yyyyMMdd-HHmmss")))
                        .toAbsolutePath();
        Files.createDirectories(runDir);
        System.out.println("service health, local run in " + runDir);
        System.out.println("starting Kafka (KRaft, 127.0.0.1) …");
        PinotCluster pinot = null;
        try (KafkaBroker broker = KafkaBroker.start(runDir.resolve("kafka"))) {
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
            System.out.println(
                    "Kafka at " + broker.bootstrapServers() + " (log " + broker.logFile() + ")");
            System.out.println("starting Pinot (ZooKeeper, controller, broker, server) …");
            pinot = PinotCluster.start(runDir.resolve("pinot"));
            deployServingTables(pinot, broker.bootstrapServers(), runDir);
            System.out.println(
                    "Pinot broker at "
                            + pinot.broker()
                            + ", controller (UI) at "
                            + pinot.controller()
                            + " (log "
                            + pinot.logFile()
                            + ")");
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            Metrics.addRegistry(meters);

            JobClient normalizer =
                    startNormalizer(broker.bootstrapServers(), writeTenantKey(runDir));
            JobClient dedup = startDedup(broker.bootstrapServers(), runDir);
            JobClient aggregator = startAggregator(broker.bootstrapServers(), runDir);
            System.out.println(
                    "ingest-normalizer, dedup-job and health-aggregator running; meters at"
                            + " http://127.0.0.1:"
                            + options.metricsPort()
                            + "/metrics");
            Thread simulator = startSimulator(broker.bootstrapServers(), runDir);
            printQueriesToTry(pinot, runDir.resolve("tenant.key"));
            System.out.println(
                    "simulator playing "
                            + options.scenario()
                            + " at "
                            + options.rate()
                            + " events/s for "
                            + options.duration()
                            + " (log "
                            + runDir.resolve("simulator.log")
                            + "); Ctrl-C stops");

            CommittedRowFreshness serviceRows =
                    new CommittedRowFreshness(broker.bootstrapServers(), Topics.KPI_SERVICE, stop);
            Thread freshness = new Thread(serviceRows, "committed-row-freshness");
            freshness.start();
            ServingProbe serving = new ServingProbe(pinot.broker(), stop);
            Thread servingProbe = new Thread(serving, "serving-probe");
            servingProbe.start();
            LiveView view = new LiveView(meters);
            while (!stop.get()) {
                long now = System.currentTimeMillis();
                String status = simulator.isAlive() ? "simulator running" : "simulator finished";
                System.out.print(view.frame(now, status));
                System.out.println("service rows readable: " + serviceRows.summary(now));
                System.out.print(serving.summary(now));
                sleep(FRAME_MS);
            }
            System.out.println("stopping: simulator, jobs, Pinot, broker …");
            simulator.join(TimeUnit.SECONDS.toMillis(30));
            freshness.join(TimeUnit.SECONDS.toMillis(10));
            servingProbe.join(TimeUnit.SECONDS.toMillis(10));
            aggregator.cancel().get(30, TimeUnit.SECONDS);
            dedup.cancel().get(30, TimeUnit.SECONDS);
            normalizer.cancel().get(30, TimeUnit.SECONDS);
            // before the broker, whose end would leave Pinot's consumers retrying
            pinot.close();
        } finally {
            if (pinot != null) {
                pinot.close();
            }
            stopped.countDown();
        }
    }

    /** The deployed Pinot manifests, on this broker, one replica (one server). */
    private static void deployServingTables(PinotCluster pinot, String bootstrap, Path runDir)
            throws IOException {
        ServingTables.deploy(
                new PinotController(pinot.controller()),
                bootstrap,
                KpiTable::topic,
                EventLogTable::topic,
                runDir.resolve("pinot/service_health_events.desc"),
                PARTITIONS,
                Duration.ofSeconds(60));
    }

    private static void printQueriesToTry(PinotCluster pinot, Path tenantKey) {
        String oncall = "./oncall --broker " + pinot.broker() + " --tenant-key " + tenantKey + " ";
        System.out.println("incident queries to try in another terminal (minute 1 on):");
        for (IncidentQuery query : IncidentQuery.values()) {
            System.out.println("  " + oncall + String.join(" ", query.example()));
        }
    }

    private JobClient startNormalizer(String bootstrap, Path keyFile) throws Exception {
        StreamExecutionEnvironment env = localFlink();
        IngestNormalizerJob.defineWorkflow(
                env,
                IngestNormalizerConfig.fromMap(
                        Map.of(
                                "bootstrap-servers",
                                bootstrap,
                                "checkpoint-interval",
                                "5 s",
                                "tenant-key-file",
                                keyFile.toString(),
                                "metrics-port",
                                String.valueOf(options.metricsPort()))));
        return env.executeAsync("ingest-normalizer");
    }

    private JobClient startDedup(String bootstrap, Path runDir) throws Exception {
        StreamExecutionEnvironment env = localFlink();
        DedupJob.defineWorkflow(
                env, DedupJobConfig.fromMap(stateJobArgs(bootstrap, runDir, "dedup-job")));
        return env.executeAsync("dedup-job");
    }

    private JobClient startAggregator(String bootstrap, Path runDir) throws Exception {
        StreamExecutionEnvironment env = localFlink();
        HealthAggregatorJob.defineWorkflow(
                env,
                HealthAggregatorConfig.fromMap(
                        stateJobArgs(bootstrap, runDir, "health-aggregator")));
        return env.executeAsync("health-aggregator");
    }

    /** The arguments of a job with state: checkpoints kept in the run's folder. */
    private Map<String, String> stateJobArgs(String bootstrap, Path runDir, String job) {
        return Map.of(
                "bootstrap-servers",
                bootstrap,
                "checkpoint-interval",
                "5 s",
                "checkpoint-dir",
                runDir.resolve("checkpoints/" + job).toUri().toString(),
                "metrics-port",
                String.valueOf(options.metricsPort()));
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
        flink.setString(
                "metrics.reporter.pipeline.factory.class",
                FlinkMetricsBridgeFactory.class.getName());
        return StreamExecutionEnvironment.createLocalEnvironment(2, flink);
    }

    private Thread startSimulator(String bootstrap, Path runDir) throws IOException {
        PrintStream log =
                new PrintStream(
                        Files.newOutputStream(runDir.resolve("simulator.log")),
                        true,
                        StandardCharsets.UTF_8);
        String[] args = {
            "generate",
            "--scenario",
            options.scenario(),
            "--rate",
            String.valueOf(options.rate()),
            "--duration",
            options.duration(),
            "--realtime",
            "--bootstrap-servers",
            bootstrap
        };
        Thread thread =
                new Thread(
                        () -> {
                            int code = new SimulatorMain(log, stop).run(args);
                            log.println("simulator exit code " + code);
                            log.close();
                        },
                        "simulator");
        thread.start();
        return thread;
    }

    /** A fresh random HMAC key per run, readable only by its owner. */
    private static Path writeTenantKey(Path runDir) throws IOException {
        Path file = runDir.resolve("tenant.key");
        TenantKeyFile.writeRandom(file);
        return file;
    }

    private void requestStopAndWait() {
        stop.set(true);
        try {
            stopped.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
