package dev.servicehealth.bench;

import dev.servicehealth.ingest.IngestNormalizerTopology;
import dev.servicehealth.ingest.normalize.NormalizedRecord;
import dev.servicehealth.ingest.normalize.NormalizerSettings;
import dev.servicehealth.ingest.normalize.RawRecord;
import dev.servicehealth.model.DeadLetter;
import dev.servicehealth.model.catalog.PipelineMetric;
import dev.servicehealth.runtime.clock.ClockMarkWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.common.TopicPartition;

/**
 * Events per CPU-second and per wall-clock second of the ingest-normalizer's operator chain on
 * Flink, the number to hold against the per-core throughput target.
 *
 * <pre>
 *   DataGeneratorSource ──────► normalize (IngestNormalizerTopology) ──► DiscardingSink (events)
 *   (pooled gateway lines,                  └─────────────────────────► DiscardingSink (dead letters)
 *    looped to --events)
 * </pre>
 *
 * <p>A MiniCluster in this JVM runs the job at parallelism 1. The output lists the tasks the job
 * graph has: whatever Flink cannot chain crosses a local network channel, serialized. With object
 * reuse off, as in the real job, Flink copies each record between chained operators; that copying
 * is measured too. CPU time is the whole process's (task thread, Flink runtime, JIT compiler,
 * garbage collector), taken around each job execution after a warm-up job, so events per CPU-second
 * is the cost per core. Not measured: the Kafka source and transactional sinks of the real job, and
 * checkpoints.
 */
public final class NormalizerPipelineBench {
    /** The target for the parse+normalize chain, in events per second per core. */
    static final double TARGET_EVENTS_PER_CORE_SECOND = 400_000;

    private NormalizerPipelineBench() {}

    /** What to run; see {@link #usage()}. */
    record Options(
            long events,
            int lines,
            int runs,
            long warmupEvents,
            BenchSettings.Meters meters,
            boolean objectReuse) {

        Options {
            require(events > 0 && events <= 1_000_000_000L, "--events", "within 1..1e9");
            require(lines > 0 && lines <= 2_000_000, "--lines", "within 1..2000000");
            require(runs > 0 && runs <= 10, "--runs", "within 1..10");
            require(warmupEvents >= 0, "--warmup-events", "not negative");
        }

        static Options parse(String[] args) {
            long events = 5_000_000;
            int lines = 200_000;
            int runs = 2;
            long warmupEvents = 2_000_000;
            BenchSettings.Meters meters = BenchSettings.Meters.PROMETHEUS;
            boolean objectReuse = false;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--object-reuse")) {
                    objectReuse = true;
                    continue;
                }
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException(arg + ": missing value or unknown flag");
                }
                String value = args[++i];
                try {
                    switch (arg) {
                        case "--events" -> events = Long.parseLong(value);
                        case "--lines" -> lines = Integer.parseInt(value);
                        case "--runs" -> runs = Integer.parseInt(value);
                        case "--warmup-events" -> warmupEvents = Long.parseLong(value);
                        case "--meters" -> meters = BenchSettings.Meters.parse(value);
                        default -> throw new IllegalArgumentException(arg + ": unknown option");
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(arg + ": '" + value + "' is not a number");
                } catch (IllegalArgumentException e) {
                    if (e.getMessage().startsWith(arg)) {
                        throw e;
                    }
                    throw new IllegalArgumentException(arg + ": '" + value + "' is not valid");
                }
            }
            return new Options(events, lines, runs, warmupEvents, meters, objectReuse);
        }

        private static void require(boolean ok, String option, String what) {
            if (!ok) {
                throw new IllegalArgumentException(option + ": must be " + what);
            }
        }
    }

    static String usage() {
        return String.join(
                "\n",
                "usage: NormalizerPipelineBench [options]",
                "  --events N          raw records per measured run (default 5000000)",
                "  --lines N           distinct simulator gateway lines, looped (default 200000)",
                "  --runs N            measured runs (default 2)",
                "  --warmup-events N   records of the unmeasured warm-up job (default 2000000)",
                "  --meters M          prometheus (the job's default) or none (default prometheus)",
                "  --object-reuse      let chained operators pass records without copying");
    }

    /**
     * One measured job execution. The output counts come from the normalizer's own meters and are
     * -1 when no registry records them.
     */
    record Run(
            long events,
            long wallNanos,
            long cpuNanos,
            long gcCount,
            long gcMillis,
            double systemLoad,
            long eventsOut,
            long deadLetters,
            String tasks) {

        double eventsPerWallSecond() {
            return events * 1e9 / wallNanos;
        }

        double eventsPerCpuSecond() {
            return events * 1e9 / cpuNanos;
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        System.out.println(describe(options));
        List<Run> runs = run(options);
        for (int i = 0; i < runs.size(); i++) {
            System.out.println("run " + (i + 1) + ": " + describe(runs.get(i)));
        }
    }

    /** Generates the lines, starts a MiniCluster, runs the warm-up job and the measured runs. */
    static List<Run> run(Options options) throws Exception {
        List<RawRecord> records = GatewayLines.generate(options.lines());
        PrometheusMeterRegistry registry = options.meters().attach();
        try (BenchSettings settings = new BenchSettings();
                RawRecordPool pool = new RawRecordPool(records);
                MiniCluster cluster = startCluster()) {
            if (options.warmupEvents() > 0) {
                cluster.executeJobBlocking(
                        job(pool, settings.settings, options.warmupEvents(), options));
            }
            List<Run> runs = new ArrayList<>();
            for (int i = 0; i < options.runs(); i++) {
                JobGraph job = job(pool, settings.settings, options.events(), options);
                runs.add(measure(cluster, job, options.events(), registry));
            }
            return runs;
        } finally {
            BenchSettings.Meters.detach(registry);
        }
    }

    private static MiniCluster startCluster() throws Exception {
        return BenchCluster.start(new Configuration());
    }

    private static JobGraph job(
            RawRecordPool pool, NormalizerSettings settings, long events, Options options) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.OBJECT_REUSE, options.objectReuse());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        DataStream<RawRecord> raw =
                env.fromSource(
                        new DataGeneratorSource<>(
                                pool.generator(), events, TypeInformation.of(RawRecord.class)),
                        WatermarkStrategy.noWatermarks(),
                        "gateway-lines");
        IngestNormalizerTopology.Streams streams =
                IngestNormalizerTopology.build(raw, BenchSettings.SOURCE_BY_TOPIC, settings, "all");
        // the clock marks' writer the job runs before its sink (decision 0009), 12 partitions;
        // without watermarks here it writes no marks, it wraps each event as in the job
        streams.events()
                .transform(
                        "clock-marks",
                        ClockMarkWriter.outputType(streams.events().getType()),
                        new ClockMarkWriter<NormalizedRecord>(
                                NormalizerPipelineBench::clockedPartitions, Duration.ofSeconds(1)))
                .sinkTo(new DiscardingSink<>())
                .name("discard-events");
        streams.deadLetters().sinkTo(new DiscardingSink<>()).name("discard-dead-letters");
        return env.getStreamGraph().getJobGraph();
    }

    private static List<TopicPartition> clockedPartitions() {
        return IntStream.range(0, 12)
                .mapToObj(p -> new TopicPartition("normalized.requests", p))
                .toList();
    }

    private static Run measure(
            MiniCluster cluster, JobGraph job, long events, MeterRegistry registry)
            throws Exception {
        double in0 = count(registry, PipelineMetric.NORMALIZER_RECORDS_IN);
        double out0 = count(registry, PipelineMetric.NORMALIZER_EVENTS_OUT);
        double dead0 = count(registry, PipelineMetric.NORMALIZER_DEAD_LETTERS);

        ProcessCost cost = ProcessCost.of(() -> cluster.executeJobBlocking(job));

        long in = (long) (count(registry, PipelineMetric.NORMALIZER_RECORDS_IN) - in0);
        long out = (long) (count(registry, PipelineMetric.NORMALIZER_EVENTS_OUT) - out0);
        long dead = (long) (count(registry, PipelineMetric.NORMALIZER_DEAD_LETTERS) - dead0);
        if (registry != null && (in != events || out + dead != events)) {
            throw new IllegalStateException(
                    events
                            + " records sent, normalizer counted "
                            + in
                            + " in, "
                            + out
                            + " events and "
                            + dead
                            + " dead letters out");
        }
        return new Run(
                events,
                cost.wallNanos(),
                cost.cpuNanos(),
                cost.gcCount(),
                cost.gcMillis(),
                cost.loadBefore(),
                registry == null ? -1 : out,
                registry == null ? -1 : dead,
                StreamSupport.stream(job.getVertices().spliterator(), false)
                        .map(JobVertex::getName)
                        .collect(Collectors.joining(" | ")));
    }

    private static double count(MeterRegistry registry, PipelineMetric metric) {
        if (registry == null) {
            return 0;
        }
        return registry.find(metric.meterName()).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private static String describe(Options options) {
        Runtime runtime = Runtime.getRuntime();
        return String.format(
                Locale.ROOT,
                "normalizer pipeline: %,d raw gateway records per run (%,d simulator lines looped),"
                        + " %d runs after a %,d-record warm-up; parallelism 1, meters %s, object"
                        + " reuse %s%nJava %s, %s, max heap %d MiB, %d CPUs; types: RawRecord %s,"
                        + " NormalizedRecord %s, DeadLetter %s",
                options.events(),
                options.lines(),
                options.runs(),
                options.warmupEvents(),
                options.meters().name().toLowerCase(Locale.ROOT),
                options.objectReuse() ? "on" : "off",
                System.getProperty("java.version"),
                ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(GarbageCollectorMXBean::getName)
                        .collect(Collectors.joining("/")),
                runtime.maxMemory() >> 20,
                runtime.availableProcessors(),
                typeName(RawRecord.class),
                typeName(NormalizedRecord.class),
                typeName(DeadLetter.class));
    }

    /** PojoType, or GenericType when Flink falls back to Kryo for a type. */
    private static String typeName(Class<?> type) {
        return TypeInformation.of(type).getClass().getSimpleName();
    }

    private static String describe(Run run) {
        String outputs =
                run.eventsOut() < 0
                        ? "outputs not counted (--meters none)"
                        : String.format(
                                Locale.ROOT,
                                "%,d events + %,d dead letters out",
                                run.eventsOut(),
                                run.deadLetters());
        return String.format(
                Locale.ROOT,
                "%,d records in %.2f s wall, %.2f CPU-s (load before %.2f): %,.0f events/s wall,"
                        + " %,.0f events per CPU-second = %.0f %% of the %,.0f target; GC %d"
                        + " collections, %d ms; %s; tasks: %s",
                run.events(),
                run.wallNanos() / 1e9,
                run.cpuNanos() / 1e9,
                run.systemLoad(),
                run.eventsPerWallSecond(),
                run.eventsPerCpuSecond(),
                100 * run.eventsPerCpuSecond() / TARGET_EVENTS_PER_CORE_SECOND,
                TARGET_EVENTS_PER_CORE_SECOND,
                run.gcCount(),
                run.gcMillis(),
                outputs,
                run.tasks());
    }
}
