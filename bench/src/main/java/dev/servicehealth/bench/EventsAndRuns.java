package dev.servicehealth.bench;

/** The two options of the pipeline benchmarks that take nothing else: how much, how often. */
record EventsAndRuns(long events, int runs) {
    /** {@code --events N --runs N}, each defaulting as given; an unknown option exits with 2. */
    static EventsAndRuns parse(String[] args, long events, int runs) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--events" -> events = Long.parseLong(args[i + 1]);
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                default -> {
                    System.err.println(
                            "unknown option " + args[i] + "; usage: --events N --runs N");
                    System.exit(2);
                }
            }
        }
        return new EventsAndRuns(events, runs);
    }
}
