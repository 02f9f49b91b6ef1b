package dev.servicehealth.localkafka;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Runs a {@link KafkaBroker} for a local run of the product until Ctrl-C.
 *
 * <p>{@code mvn -pl local-kafka exec:java [-Dexec.args=<work dir>]}; the work directory defaults to
 * {@code local-run-data/kafka} under the current directory. Topics and offsets survive a restart on
 * the same directory; the bootstrap address changes, so it is printed at every start.
 */
public final class LocalKafka {

    private static final Path DEFAULT_WORK_DIR = Path.of("local-run-data", "kafka");

    private LocalKafka() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        Path workDir = args.length > 0 ? Path.of(args[0]) : DEFAULT_WORK_DIR;
        KafkaBroker broker = KafkaBroker.start(workDir);
        System.out.println("Kafka broker ready, bootstrap.servers=" + broker.bootstrapServers());
        System.out.println("Broker log: " + broker.logFile() + " (Ctrl-C stops the broker)");
        // Ctrl-C ends this JVM; KafkaBroker's shutdown hook then stops the broker gracefully
        Thread.currentThread().join();
    }
}
