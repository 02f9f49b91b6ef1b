package dev.servicehealth.bench;

/**
 * The options of the bounded pipeline benchmarks: how much, how often, how wide. The cluster gets
 * one slot per unit of parallelism, so a run at parallelism 2 on two cores shows how the job
 * scales.
 */
record BenchOptions(long events, int runs, int parallelism) {
    /**
     * {@code --events N --runs N --parallelism N}, the first two defaulting as given, parallelism
     * to 1; an unknown option exits with 2.
     */
    static BenchOptions parse(String[] args, long events, int runs) {
        int parallelism = 1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--events" -> events = Long.parseLong(args[i + 1]);
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--parallelism" -> parallelism = Integer.parseInt(args[i + 1]);
                default -> {
                    System.err.println(
                            "unknown option "
                                    + args[i]
                                    + "; usage: --events N --runs N --parallelism N");
                    System.exit(2);
                }
            }
        }
        return new BenchOptions(events, runs, parallelism);
    }
}
