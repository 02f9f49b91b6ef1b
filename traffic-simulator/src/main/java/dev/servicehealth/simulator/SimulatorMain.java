package dev.servicehealth.simulator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * Command line: {@code generate} simulated traffic to Kafka or a capture directory, or {@code
 * replay} a capture directory to Kafka. Runs are bounded by their duration (or capture) and by
 * {@code --max-records}; Ctrl-C stops a run cleanly, flushing what was sent.
 */
public final class SimulatorMain {

    static final String USAGE =
            """
            Usage:
              traffic-simulator generate [options] (--bootstrap-servers HOST:PORT | --out-dir DIR)
              traffic-simulator replay --from DIR (--bootstrap-servers HOST:PORT | --out-dir DIR)
                                       [--speed N | --max-speed] [--shift-to-now] [--topic FROM=TO]...
                                       [--max-records N]
              traffic-simulator --help

            generate options:
              --scenario NAME       steady-state (default), emea-auth-outage, bad-deploy-hot-endpoint
              --rate N              gateway requests per simulated second (default 1000)
              --duration D          simulated duration: 90s, 5m, 1h, or ISO-8601 PT5M (default 5m)
              --seed N              random seed (default 42); same seed and options, same bytes
              --start INSTANT       event time of the first instant (default 2026-11-22T10:00:00Z)
              --realtime            pace records in wall-clock time, event times starting now
              --topic-prefix P      prefix the raw topic names (raw.gateway -> P + raw.gateway)
              --dirt KIND=RATE      override one dirt rate, repeatable; see docs/simulator.md
              --no-dirt             clean traffic (every dirt rate 0)
              --max-records N       stop after N records
              --progress-seconds N  seconds between progress lines (default 5)

            replay options:
              --from DIR            capture directory (simulator capture or *.jsonl files named by topic)
              --speed N             N times the original pace (default 1: original pace)
              --max-speed           as fast as possible
              --shift-to-now        move event and Kafka times by one whole-minute offset so the
                                    capture ends as the replay ends: last week's incident, now
              --topic FROM=TO       produce records captured from topic FROM to topic TO, repeatable
            """;

    private static final int EXIT_USAGE = 2;
    private static final int EXIT_FAILURE = 1;

    private final PrintStream out;
    private final AtomicBoolean stopRequested;

    /** A simulator that prints to {@code out} and stops when {@code stopRequested} is set. */
    public SimulatorMain(PrintStream out, AtomicBoolean stopRequested) {
        this.out = out;
        this.stopRequested = stopRequested;
    }

    public static void main(String[] args) {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook =
                new Thread(
                        () -> {
                            stop.set(true);
                            try {
                                // Let the run flush what it sent before the JVM goes down.
                                finished.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "simulator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int code;
        try {
            code = new SimulatorMain(System.out, stop).run(args);
        } finally {
            finished.countDown();
        }
        if (!stop.get()) {
            Runtime.getRuntime().removeShutdownHook(hook);
            System.exit(code);
        }
    }

    /** Runs one command and returns the process exit code. */
    public int run(String[] args) {
        try {
            if (args.length == 0 || Set.of("--help", "-h", "help").contains(args[0])) {
                out.print(USAGE);
                return args.length == 0 ? EXIT_USAGE : 0;
            }
            Args parsed = Args.parse(args, 1);
            if (parsed.flag("--help")) {
                out.print(USAGE);
                return 0;
            }
            return switch (args[0]) {
                case "generate" -> generate(parsed);
                case "replay" -> replay(parsed);
                default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
            };
        } catch (IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
            out.println("try --help");
            return EXIT_USAGE;
        } catch (IOException e) {
            out.println("failed: " + e);
            return EXIT_FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("interrupted");
            return EXIT_FAILURE;
        }
    }

    private int generate(Args args) throws IOException, InterruptedException {
        args.allow(
                "--scenario",
                "--rate",
                "--duration",
                "--seed",
                "--start",
                "--realtime",
                "--topic-prefix",
                "--dirt",
                "--no-dirt",
                "--max-records",
                "--progress-seconds",
                "--bootstrap-servers",
                "--out-dir");
        boolean realtime = args.flag("--realtime");
        DirtRates dirt = args.flag("--no-dirt") ? DirtRates.none() : DirtRates.defaults();
        for (String override : args.all("--dirt")) {
            String[] kv = keyValue("--dirt", override);
            dirt = dirt.with(Dirt.parse(kv[0]), number("--dirt " + kv[0], kv[1]));
        }
        Instant start =
                realtime
                        ? Instant.now().truncatedTo(ChronoUnit.MILLIS)
                        : instant(args.value("--start", "2026-11-22T10:00:00Z"));
        TopicNames topics =
                args.has("--topic-prefix")
                        ? TopicNames.withPrefix(args.value("--topic-prefix", ""))
                        : TopicNames.defaults();
        SimulatorConfig config =
                SimulatorConfig.builder()
                        .scenario(Scenario.parse(args.value("--scenario", "steady-state")))
                        .eventsPerSecond(number("--rate", args.value("--rate", "1000")))
                        .duration(duration(args.value("--duration", "5m")))
                        .seed((long) number("--seed", args.value("--seed", "42")))
                        .start(start)
                        .dirt(dirt)
                        .topics(topics)
                        // Real-time and long runs must not grow with the traffic.
                        .detail(GroundTruthDetail.COUNTS)
                        .build();
        long maxRecords = maxRecords(args);
        long progressMs =
                (long) (number("--progress-seconds", args.value("--progress-seconds", "5")) * 1000);
        TrafficSimulator simulator = new TrafficSimulator(config);
        Pacer pacer =
                new Pacer(realtime ? Pacing.original() : Pacing.maxSpeed(), stopRequested::get);
        if (realtime) {
            pacer.startAt(config.startMs());
        }
        out.printf(
                Locale.ROOT,
                "generating %s: %s events/s for %s from %s (seed %d)%s%n",
                config.scenario().cliName(),
                config.eventsPerSecond(),
                config.duration(),
                config.start(),
                config.seed(),
                realtime ? ", real time" : "");
        try (RecordSink sink = sink(args, topics)) {
            Progress progress = new Progress(out, progressMs, config.topics());
            long sent = 0;
            for (SimulatedRecord record : simulator) {
                if (sent >= maxRecords || !pacer.await(record.timestampMs())) {
                    break;
                }
                sink.send(record.captured());
                sent++;
                progress.recorded(record, config.startMs());
            }
            Map<String, Long> written = sink.flush();
            GroundTruth truth = simulator.groundTruth();
            out.println(
                    (stopRequested.get() ? "stopped" : "done")
                            + ": "
                            + sent
                            + " records "
                            + new TreeMap<>(written));
            out.println(
                    "expected normalized "
                            + truth.expectedNormalized()
                            + ", dead letters "
                            + truth.expectedDeadLetters()
                            + ", duplicates "
                            + truth.duplicatesGenerated()
                            + ", lateness "
                            + truth.latenessCounts());
        }
        return 0;
    }

    private int replay(Args args) throws IOException, InterruptedException {
        args.allow(
                "--from",
                "--speed",
                "--max-speed",
                "--shift-to-now",
                "--topic",
                "--max-records",
                "--bootstrap-servers",
                "--out-dir");
        if (!args.has("--from")) {
            throw new IllegalArgumentException("replay needs --from DIR");
        }
        if (args.flag("--max-speed") && args.has("--speed")) {
            throw new IllegalArgumentException("--speed and --max-speed exclude each other");
        }
        Pacing pacing =
                args.flag("--max-speed")
                        ? Pacing.maxSpeed()
                        : Pacing.speed(number("--speed", args.value("--speed", "1")));
        Map<String, String> mapping = new HashMap<>();
        for (String rename : args.all("--topic")) {
            String[] kv = keyValue("--topic", rename);
            mapping.put(kv[0], kv[1]);
        }
        UnaryOperator<String> topicMapping = topic -> mapping.getOrDefault(topic, topic);
        long maxRecords = maxRecords(args);
        Path from = Path.of(args.value("--from", ""));
        out.println(
                "replaying "
                        + from
                        + " at "
                        + (pacing.paced() ? pacing.speed() + "x" : "max speed"));
        try (RecordSink sink = sink(args, null)) {
            Replayer.Result result =
                    new Replayer(
                                    pacing,
                                    topicMapping,
                                    maxRecords,
                                    stopRequested::get,
                                    args.flag("--shift-to-now"))
                            .replay(from, sink);
            out.println(
                    (result.stopped() ? "stopped" : "done")
                            + ": "
                            + result.records()
                            + " records in "
                            + result.elapsed().toMillis()
                            + " ms "
                            + new TreeMap<>(result.perTopic())
                            + ", event times "
                            + result.shift());
        }
        return 0;
    }

    /** Kafka or a capture directory, exactly one of them. */
    private static RecordSink sink(Args args, TopicNames topics) throws IOException {
        boolean kafka = args.has("--bootstrap-servers");
        boolean dir = args.has("--out-dir");
        if (kafka == dir) {
            throw new IllegalArgumentException(
                    "give exactly one of --bootstrap-servers and --out-dir");
        }
        if (kafka) {
            return new KafkaTrafficWriter(args.value("--bootstrap-servers", ""));
        }
        Path outDir = Path.of(args.value("--out-dir", ""));
        return topics != null
                ? CaptureWriter.forTopics(outDir, topics)
                : new CaptureWriter(outDir, Set.of(TopicNames.defaults().metrics()));
    }

    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long amount = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "--duration: '" + text + "' is not a duration like 90s, 5m, 1h or PT5M");
        }
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "--start: '" + text + "' is not an ISO-8601 instant");
        }
    }

    private static double number(String option, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not a number");
        }
    }

    private static long maxRecords(Args args) {
        if (!args.has("--max-records")) {
            return Long.MAX_VALUE;
        }
        String text = args.value("--max-records", "");
        try {
            long max = Long.parseLong(text);
            if (max < 0) {
                throw new NumberFormatException();
            }
            return max;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--max-records: '" + text + "' is not a count");
        }
    }

    private static String[] keyValue(String option, String text) {
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new IllegalArgumentException(
                    option + ": expected NAME=VALUE, got '" + text + "'");
        }
        return new String[] {text.substring(0, eq), text.substring(eq + 1)};
    }

    /** Prints one line every few seconds of wall-clock time. */
    private static final class Progress {
        private final PrintStream out;
        private final long intervalNanos;
        private final Map<String, RawTopic> kinds;
        private final Map<RawTopic, Long> counts = new LinkedHashMap<>();
        private final long startNanos = System.nanoTime();
        private long nextNanos;
        private long total;
        private long totalAtLastLine;
        private long lastLineNanos = startNanos;

        Progress(PrintStream out, long intervalMs, TopicNames topics) {
            this.out = out;
            this.intervalNanos = Math.max(1, intervalMs) * 1_000_000;
            this.kinds = topics.byName();
            this.nextNanos = startNanos + intervalNanos;
            for (RawTopic topic : RawTopic.values()) {
                counts.put(topic, 0L);
            }
        }

        void recorded(SimulatedRecord record, long startMs) {
            counts.merge(kinds.get(record.topic()), 1L, Long::sum);
            total++;
            if ((total & 0xFF) != 0) {
                return;
            }
            long now = System.nanoTime();
            if (now < nextNanos) {
                return;
            }
            double rate = (total - totalAtLastLine) * 1e9 / (now - lastLineNanos);
            List<String> perTopic = new ArrayList<>();
            counts.forEach(
                    (topic, n) -> perTopic.add(topic.name().toLowerCase(Locale.ROOT) + "=" + n));
            out.printf(
                    Locale.ROOT,
                    "[%5ds] simulated +%ds records=%d (%s) %.0f/s%n",
                    (now - startNanos) / 1_000_000_000,
                    (record.timestampMs() - startMs) / 1000,
                    total,
                    String.join(" ", perTopic),
                    rate);
            totalAtLastLine = total;
            lastLineNanos = now;
            nextNanos = now + intervalNanos;
        }
    }

    /** {@code --name value} options, repeatable, and {@code --flag}s; {@code --name=value} too. */
    private static final class Args {
        private static final Set<String> FLAGS =
                Set.of("--realtime", "--no-dirt", "--max-speed", "--shift-to-now", "--help");
        private final Map<String, List<String>> values = new LinkedHashMap<>();

        static Args parse(String[] args, int from) {
            Args parsed = new Args();
            for (int i = from; i < args.length; i++) {
                String arg = args[i];
                if (!arg.startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument '" + arg + "'");
                }
                String name = arg;
                String value;
                int eq = arg.indexOf('=');
                if (eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                } else if (FLAGS.contains(arg)) {
                    value = "true";
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                parsed.values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
            return parsed;
        }

        void allow(String... names) {
            Set<String> allowed = new HashSet<>(List.of(names));
            allowed.add("--help");
            for (String name : values.keySet()) {
                if (!allowed.contains(name)) {
                    throw new IllegalArgumentException("unknown option " + name);
                }
            }
        }

        boolean has(String name) {
            return values.containsKey(name);
        }

        boolean flag(String name) {
            return has(name) && Boolean.parseBoolean(value(name, "false"));
        }

        String value(String name, String fallback) {
            List<String> all = values.get(name);
            return all == null ? fallback : all.get(all.size() - 1);
        }

        List<String> all(String name) {
            return values.getOrDefault(name, List.of());
        }
    }
}
