package dev.servicehealth.local;

import dev.servicehealth.history.HistoryCatalog;
import dev.servicehealth.model.Topics;
import dev.servicehealth.serving.IncidentQuery;
import dev.servicehealth.simulator.SimulatorMain;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The embedded default: the pipeline on one machine ({@link LocalStack}) and the traffic simulator
 * playing a scenario in real time, or a captured incident replayed, with a live view of the jobs'
 * meters. Everything binds to 127.0.0.1; Ctrl-C stops the traffic, cancels the jobs and stops Pinot
 * and the broker.
 */
public final class LocalRun {
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
        System.out.println("service health, local run in " + runDir);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Metrics.addRegistry(meters);
        try (LocalStack stack = LocalStack.start(runDir, options.metricsPort(), System.out)) {
            System.out.println(
                    "ingest-normalizer, dedup-job, health-aggregator, iceberg-sink, slo-pager and"
                            + " page-notifier running; meters at"
                            + " http://127.0.0.1:"
                            + options.metricsPort()
                            + "/metrics");
            Thread traffic = startTraffic(stack.bootstrapServers(), runDir);
            printQueriesToTry(stack);
            System.out.println(
                    options.trafficDescription()
                            + " (log "
                            + runDir.resolve("simulator.log")
                            + "); Ctrl-C stops");
            watch(stack, meters, traffic);
            System.out.println("stopping: traffic, jobs, Pinot, broker …");
            traffic.join(TimeUnit.SECONDS.toMillis(30));
        } finally {
            stopped.countDown();
        }
    }

    /** The live view, every {@value #FRAME_MS} ms until Ctrl-C. */
    private void watch(LocalStack stack, SimpleMeterRegistry meters, Thread traffic)
            throws InterruptedException {
        CommittedRowFreshness serviceRows =
                new CommittedRowFreshness(stack.bootstrapServers(), Topics.KPI_SERVICE, stop);
        Thread freshness = new Thread(serviceRows, "committed-row-freshness");
        freshness.start();
        ServingProbe serving = new ServingProbe(stack.pinotBroker(), stop);
        Thread servingProbe = new Thread(serving, "serving-probe");
        servingProbe.start();
        LiveView view = new LiveView(meters);
        while (!stop.get()) {
            long now = System.currentTimeMillis();
            String status = traffic.isAlive() ? "traffic playing" : "traffic finished";
            System.out.print(view.frame(now, status));
            System.out.println("service rows readable: " + serviceRows.summary(now));
            System.out.print(serving.summary(now));
            System.out.print(activeAlerts(stack));
            System.out.print(LiveView.notifiedPages(stack.alertReceiver().webhookNotifications()));
            sleep(FRAME_MS);
        }
        freshness.join(TimeUnit.SECONDS.toMillis(10));
        servingProbe.join(TimeUnit.SECONDS.toMillis(10));
    }

    private static String activeAlerts(LocalStack stack) {
        try {
            return LiveView.activeAlerts(stack.alertmanager().alerts());
        } catch (IOException e) {
            return "alerts       Alertmanager unreachable: " + e.getMessage() + "\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static void printQueriesToTry(LocalStack stack) {
        String oncall =
                "./oncall --broker "
                        + stack.pinotBroker()
                        + " --tenant-key "
                        + stack.tenantKey()
                        + " ";
        System.out.println("incident queries to try in another terminal (minute 1 on):");
        for (IncidentQuery query : IncidentQuery.values()) {
            System.out.println("  " + oncall + String.join(" ", query.example()));
        }
        HistoryCatalog history = stack.history().catalog();
        System.out.println(
                "history tables (bronze, silver, gold; a commit every 10 s):\n  ./history"
                        + " --catalog-uri "
                        + history.uri()
                        + " --warehouse "
                        + history.warehouse());
        System.out.println(
                "recompute a closed range from bronze (FROM, TO on minutes, TO at least 10 min"
                        + " ago), a dry run first:\n  ./backfill-range --from FROM --to TO"
                        + " --reason WHY --generation 0 --dry-run --bootstrap-servers "
                        + stack.bootstrapServers()
                        + " --catalog-uri "
                        + history.uri()
                        + " --warehouse "
                        + history.warehouse()
                        + " --tenant-key-file "
                        + stack.tenantKey());
    }

    /** The simulator's scenario, or the replay of a capture, on its own thread. */
    private Thread startTraffic(String bootstrap, Path runDir) throws IOException {
        PrintStream log =
                new PrintStream(
                        Files.newOutputStream(runDir.resolve("simulator.log")),
                        true,
                        StandardCharsets.UTF_8);
        String[] args = options.trafficCommand(bootstrap);
        Thread thread =
                new Thread(
                        () -> {
                            int code = new SimulatorMain(log, stop).run(args);
                            log.println("simulator exit code " + code);
                            log.close();
                        },
                        "traffic");
        thread.start();
        return thread;
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
