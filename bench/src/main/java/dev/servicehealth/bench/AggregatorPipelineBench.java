package dev.servicehealth.bench;

import dev.servicehealth.aggregator.HealthAggregatorJob;
import dev.servicehealth.aggregator.HealthAggregatorTopology;
import dev.servicehealth.aggregator.kpi.KpiKey;
import dev.servicehealth.aggregator.window.WindowSettings;
import dev.servicehealth.model.EventTimePolicy;
import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.catalog.Grain;
import dev.servicehealth.model.catalog.MetricCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.Collector;

/**
 * Aggregator events per CPU-second on RocksDB with the simulator's skewed traffic: the job's
 * topology (pre-aggregation, then the KPI windows with early firings) against the naive form
 * ({@link NaiveKpiWindow}: Flink's keyed tumbling windows updating RocksDB state per event), both
 * at the service and drill-down grains, in one JVM, on the same events, alternating.
 *
 * <p>Each run is one job at parallelism 1 on a fresh RocksDB, after one unmeasured warm-up run of
 * each; CPU time is the whole process's. Not measured: Kafka, checkpoints, JSON encoding.
 */
public final class AggregatorPipelineBench {
    static final double TARGET_EVENTS_PER_CORE_SECOND = 300_000;
    private static final AtomicLong ROWS = new AtomicLong();

    private AggregatorPipelineBench() {}

    enum Variant {
        AGGREGATOR,
        /**
         * The job on Flink's default RocksDB setup (timers in RocksDB, no bloom filters, compressed
         * blocks), to show what the job's state configuration saves.
         */
        AGGREGATOR_DEFAULT_STATE,
        NAIVE
    }

    /** What to run: the simulated traffic, how many events per run, which variants, how often. */
    record Options(long events, int rate, int minutes, int runs, List<Variant> variants) {
        static Options parse(String[] args) {
            long events = 3_000_000;
            // the simulated traffic: its rate sets how many events one KPI row combines
            int rate = 1_000;
            int minutes = 5;
            int runs = 2;
            List<Variant> variants = List.of(Variant.values());
            for (int i = 0; i < args.length; i += 2) {
                String value = i + 1 < args.length ? args[i + 1] : "";
                switch (args[i]) {
                    case "--events" -> events = Long.parseLong(value);
                    case "--runs" -> runs = Integer.parseInt(value);
                    case "--variant" -> variants = List.of(Variant.valueOf(value));
                    case "--rate" -> rate = Integer.parseInt(value);
                    case "--minutes" -> minutes = Integer.parseInt(value);
                    default ->
                            throw new IllegalArgumentException(
                                    args[i]
                                            + ": unknown option (--events N, --runs N, --rate N,"
                                            + " --minutes N, --variant "
                                            + List.of(Variant.values())
                                            + ")");
                }
            }
            return new Options(events, rate, minutes, runs, variants);
        }
    }

    /** One measured run. */
    record Run(Variant variant, long events, long rows, ProcessCost cost) {
        double perCpuSecond() {
            return cost.perCpuSecond(events);
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        run(options, line -> System.out.println(line));
    }

    static List<Run> run(Options options, Consumer<String> out) throws Exception {
        SkewedRequests traffic = SkewedRequests.generate(options.minutes(), options.rate());
        out.accept(
                String.format(
                        Locale.ROOT,
                        "aggregator pipeline: %,d events per run from %,d simulated requests (%d"
                                + " minutes at %,d per second, bad deploy on the hottest endpoint,"
                                + " Zipf tenants and endpoints), looped; service and drill-down"
                                + " grains; parallelism 1, RocksDB; Java %s, %d CPUs",
                        options.events(),
                        traffic.size(),
                        options.minutes(),
                        options.rate(),
                        System.getProperty("java.version"),
                        Runtime.getRuntime().availableProcessors()));
        printKeyDensity(traffic, out);
        List<Run> measured = new ArrayList<>();
        try (MiniCluster cluster = startCluster()) {
            for (Variant variant : options.variants()) {
                cluster.executeJobBlocking(
                        job(variant, traffic, Math.min(options.events(), 1_000_000)));
            }
            for (int r = 0; r < options.runs(); r++) {
                for (Variant variant : options.variants()) {
                    ROWS.set(0);
                    JobGraph job = job(variant, traffic, options.events());
                    ProcessCost cost = ProcessCost.of(() -> cluster.executeJobBlocking(job));
                    Run run = new Run(variant, options.events(), ROWS.get(), cost);
                    measured.add(run);
                    out.accept(describe(run));
                }
            }
        }
        return measured;
    }

    private static String describe(Run run) {
        ProcessCost cost = run.cost();
        return String.format(
                Locale.ROOT,
                "%-10s %,d events in %.2f s wall, %.2f CPU-s: %,.0f events/s wall, %,.0f per"
                        + " CPU-second (%s); %,d rows emitted; GC %d ms",
                run.variant(),
                run.events(),
                cost.wallNanos() / 1e9,
                cost.cpuNanos() / 1e9,
                cost.perWallSecond(run.events()),
                run.perCpuSecond(),
                run.variant() != Variant.NAIVE
                        ? String.format(
                                Locale.ROOT,
                                "%.0f %% of the %,.0f target",
                                100 * run.perCpuSecond() / TARGET_EVENTS_PER_CORE_SECOND,
                                TARGET_EVENTS_PER_CORE_SECOND)
                        : "baseline",
                run.rows(),
                cost.gcMillis());
    }

    private static JobGraph job(Variant variant, SkewedRequests traffic, long events) {
        Configuration conf = HealthAggregatorJob.stateConfiguration();
        if (variant == Variant.AGGREGATOR_DEFAULT_STATE) {
            conf.removeConfig(RocksDBOptions.TIMER_SERVICE_FACTORY);
            conf.removeConfig(RocksDBConfigurableOptions.USE_BLOOM_FILTER);
            conf.removeConfig(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL);
        }
        if (variant == Variant.NAIVE) {
            // its per-event records go through Kryo, as a first version's would
            conf.set(PipelineOptions.GENERIC_TYPES, true);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        DataStream<RequestEvent> requests =
                env.fromSource(
                        new DataGeneratorSource<>(
                                traffic, events, TypeInformation.of(RequestEvent.class)),
                        WatermarkStrategy.<RequestEvent>forBoundedOutOfOrderness(
                                        Duration.ofSeconds(10))
                                .withTimestampAssigner((e, ts) -> e.eventTimeMs()),
                        "skewed-requests");
        if (variant != Variant.NAIVE) {
            HealthAggregatorTopology.requestKpis(
                            requests,
                            new WindowSettings(
                                    Duration.ofSeconds(5),
                                    EventTimePolicy.ALLOWED_LATENESS,
                                    -1,
                                    "127.0.0.1",
                                    0),
                            Duration.ofSeconds(1),
                            20_000,
                            MetricCatalog.COUNTERS)
                    .upserts()
                    .filter(new CountRows<>())
                    .sinkTo(new DiscardingSink<>());
        } else {
            requests.flatMap(
                            (RequestEvent e, Collector<NaiveKpiWindow.RowEvent> out) -> {
                                for (Grain grain : HealthAggregatorTopology.REQUEST_GRAINS) {
                                    out.collect(
                                            new NaiveKpiWindow.RowEvent(KpiKey.of(grain, e), e));
                                }
                            },
                            TypeInformation.of(NaiveKpiWindow.RowEvent.class))
                    .keyBy(NaiveKpiWindow.RowEvent::key)
                    .window(TumblingEventTimeWindows.of(EventTimePolicy.WINDOW))
                    .allowedLateness(EventTimePolicy.ALLOWED_LATENESS)
                    .aggregate(new NaiveKpiWindow.PerEventAggregate())
                    .filter(new CountRows<>())
                    .sinkTo(new DiscardingSink<>());
        }
        return env.getStreamGraph().getJobGraph();
    }

    /** What the cost per event depends on most: how many events one KPI row combines. */
    private static void printKeyDensity(SkewedRequests traffic, Consumer<String> out) {
        for (Grain grain : HealthAggregatorTopology.REQUEST_GRAINS) {
            Set<KpiKey> rows = new HashSet<>();
            Set<Long> windows = new HashSet<>();
            for (long i = 0; i < traffic.size(); i++) {
                KpiKey key = KpiKey.of(grain, traffic.map(i));
                rows.add(key);
                windows.add(key.windowStartMs());
            }
            out.accept(
                    String.format(
                            Locale.ROOT,
                            "%s grain: %,d rows per one-minute window, %.1f events per row",
                            grain,
                            rows.size() / windows.size(),
                            (double) traffic.size() / rows.size()));
        }
    }

    private static MiniCluster startCluster() throws Exception {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("512m"));
        return BenchCluster.start(conf);
    }

    /** Counts the rows emitted; drops them (the sink would discard them anyway). */
    private static final class CountRows<T> implements FilterFunction<T> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(T row) {
            ROWS.incrementAndGet();
            return false;
        }
    }
}
