package dev.servicehealth.notifier;

import dev.servicehealth.runtime.PipelineMeterRegistry;

/**
 * The notifier's process: the pager's pages to Alertmanager. Not a Flink job: it holds no state
 * (the compacted pages topic is its state), so it restarts in seconds, and two replicas may run for
 * availability: Alertmanager deduplicates their posts.
 */
public final class PageNotifier {
    private PageNotifier() {}

    public static void main(String[] args) {
        NotifierConfig config;
        try {
            config = NotifierConfig.fromArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println("page-notifier: " + e.getMessage());
            System.err.print(NotifierConfig.usage());
            System.exit(2);
            return;
        }
        Notifier notifier =
                Notifier.start(
                        config,
                        PipelineMeterRegistry.forJob(
                                "page-notifier",
                                config.metricsPort(),
                                config.metricsBindAddress()));
        Runtime.getRuntime().addShutdownHook(new Thread(notifier::close));
        try {
            notifier.run();
        } catch (RuntimeException e) {
            // the scrape endpoint would keep a notifier that posts nothing alive
            System.err.println("page-notifier: stopped: " + e.getMessage());
            System.exit(1);
        }
    }
}
