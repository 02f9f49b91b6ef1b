package dev.servicehealth.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Options of the local run, parsed from {@code --key value}; unknown keys fail and are named.
 *
 * @param replay a capture directory (or JSON-lines files) to play instead of the simulator, or
 *     {@code null}
 * @param speed how fast a replay plays: a factor of the original pace, {@code max}, or {@code null}
 *     for the original pace
 */
record LocalRunOptions(
        String scenario,
        int rate,
        String duration,
        Path replay,
        String speed,
        boolean shiftToNow,
        Path dataDir,
        int metricsPort,
        boolean help) {

    static final String USAGE =
            """
            usage: ./service-health-local [options]
              --scenario NAME      steady-state | emea-auth-outage | bad-deploy-hot-endpoint
                                   (default emea-auth-outage)
              --rate N             simulated events per second (default 500)
              --duration D         how long the simulator plays, e.g. 30m, 2h (default 30m)
              --replay DIR         play a capture (./simulator generate --out-dir, or JSON-lines
                                   files) instead of the simulator
              --speed N | max      replay N times the original pace, or as fast as possible
                                   (default: the original pace)
              --shift-to-now       replay the capture as if it happened now: event times moved
                                   by one whole-minute offset, order and lateness kept
              --data-dir DIR       where broker data, logs and the tenant key go
                                   (default local-run-data)
              --metrics-port N     Prometheus scrape port of the jobs' meters (default 9250)
              --help               this text
            Ctrl-C stops everything.
            """;

    private static final Set<String> KEYS =
            Set.of(
                    "--scenario",
                    "--rate",
                    "--duration",
                    "--replay",
                    "--speed",
                    "--data-dir",
                    "--metrics-port");
    private static final Set<String> SIMULATOR_KEYS = Set.of("--scenario", "--rate", "--duration");

    static LocalRunOptions parse(String... args) {
        Map<String, String> values = new TreeMap<>();
        boolean help = false;
        boolean shiftToNow = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
            } else if (arg.equals("--shift-to-now")) {
                shiftToNow = true;
            } else if (KEYS.contains(arg) && i + 1 < args.length) {
                values.put(arg, args[++i]);
            } else {
                throw new IllegalArgumentException("unknown or incomplete option '" + arg + "'");
            }
        }
        int rate = Integer.parseInt(values.getOrDefault("--rate", "500"));
        if (rate <= 0 || rate > 50_000) {
            throw new IllegalArgumentException("--rate must be within 1..50000 on one machine");
        }
        boolean replay = values.containsKey("--replay");
        for (String key : SIMULATOR_KEYS) {
            if (replay && values.containsKey(key)) {
                throw new IllegalArgumentException(
                        key + " is the simulator's; --replay plays a capture");
            }
        }
        if (!replay && (shiftToNow || values.containsKey("--speed"))) {
            throw new IllegalArgumentException("--speed and --shift-to-now need --replay DIR");
        }
        String speed = values.get("--speed");
        if (speed != null && !speed.equals("max") && !(Double.parseDouble(speed) > 0)) {
            throw new IllegalArgumentException("--speed must be a positive number or max");
        }
        return new LocalRunOptions(
                values.getOrDefault("--scenario", "emea-auth-outage"),
                rate,
                values.getOrDefault("--duration", "30m"),
                replay ? Path.of(values.get("--replay")) : null,
                speed,
                shiftToNow,
                Path.of(values.getOrDefault("--data-dir", "local-run-data")),
                Integer.parseInt(values.getOrDefault("--metrics-port", "9250")),
                help);
    }

    /**
     * The arguments of the simulator's command that plays the run's traffic to {@code bootstrap}.
     */
    String[] trafficCommand(String bootstrap) {
        if (replay == null) {
            return new String[] {
                "generate",
                "--scenario",
                scenario,
                "--rate",
                String.valueOf(rate),
                "--duration",
                duration,
                "--realtime",
                "--bootstrap-servers",
                bootstrap
            };
        }
        List<String> command =
                new ArrayList<>(
                        List.of(
                                "replay",
                                "--from",
                                replay.toString(),
                                "--bootstrap-servers",
                                bootstrap));
        if ("max".equals(speed)) {
            command.add("--max-speed");
        } else if (speed != null) {
            command.add("--speed");
            command.add(speed);
        }
        if (shiftToNow) {
            command.add("--shift-to-now");
        }
        return command.toArray(String[]::new);
    }

    /** What the traffic is, for the run's first lines. */
    String trafficDescription() {
        return replay == null
                ? "simulator playing " + scenario + " at " + rate + " events/s for " + duration
                : "replaying "
                        + replay
                        + (speed == null ? " at the original pace" : " at speed " + speed)
                        + (shiftToNow ? ", shifted to now" : "");
    }
}
