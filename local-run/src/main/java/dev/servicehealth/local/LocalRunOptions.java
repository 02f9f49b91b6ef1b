package dev.servicehealth.local;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Options of the local run, parsed from {@code --key value}; unknown keys fail and are named. */
record LocalRunOptions(
        String scenario, int rate, String duration, Path dataDir, int metricsPort, boolean help) {

    static final String USAGE =
            """
            usage: ./service-health-local [options]
              --scenario NAME      steady-state | emea-auth-outage | bad-deploy-hot-endpoint
                                   (default emea-auth-outage)
              --rate N             simulated events per second (default 500)
              --duration D         how long the simulator plays, e.g. 30m, 2h (default 30m)
              --data-dir DIR       where broker data, logs and the tenant key go
                                   (default local-run-data)
              --metrics-port N     Prometheus scrape port of the jobs' meters (default 9250)
              --help               this text
            Ctrl-C stops everything.
            """;

    private static final Set<String> KEYS =
            Set.of("--scenario", "--rate", "--duration", "--data-dir", "--metrics-port");

    static LocalRunOptions parse(String... args) {
        Map<String, String> values = new TreeMap<>();
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
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
        return new LocalRunOptions(
                values.getOrDefault("--scenario", "emea-auth-outage"),
                rate,
                values.getOrDefault("--duration", "30m"),
                Path.of(values.getOrDefault("--data-dir", "local-run-data")),
                Integer.parseInt(values.getOrDefault("--metrics-port", "9250")),
                help);
    }
}
