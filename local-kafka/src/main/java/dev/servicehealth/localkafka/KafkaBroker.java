package dev.servicehealth.localkafka;

import dev.servicehealth.childjvm.ChildJvm;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one node) running in a child JVM
 * on 127.0.0.1.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>The broker is the Kafka version in this module's {@code broker.classpath} (the parent POM's
 *       {@code kafka.broker.version}) and runs in its own JVM, so none of its jars reaches the
 *       caller's classpath, which keeps the application's kafka-clients version.
 *   <li>It listens on 127.0.0.1 only, on two ports found free when it starts.
 *   <li>{@link #start} returns only once the broker answers metadata requests and can host
 *       partitions; the topic helpers return only once every new partition has a leader.
 *   <li>Transactions, idempotent producers and {@code read_committed} consumers work: the internal
 *       topics have one replica and a minimum ISR of one. The largest transaction timeout a
 *       producer may ask for is {@link #TRANSACTION_MAX_TIMEOUT}.
 *   <li>Topics exist only when created explicitly; a producer writing to a missing topic fails
 *       rather than creating it with defaults.
 *   <li>Data lives under {@code workDir} in a single replica: nothing survives the loss of that
 *       directory. Starting again on the same directory keeps its topics and offsets; the ports are
 *       new.
 *   <li>The broker never outlives the JVM that started it: {@link #close()} stops it gracefully, a
 *       shutdown hook does so if the JVM exits without closing it, and the child exits by itself
 *       when the parent dies without running hooks ({@code kill -9}).
 * </ul>
 *
 * <p>Everything the child writes to stdout and stderr goes to {@code workDir/broker.log}; failures
 * name that file.
 */
public final class KafkaBroker implements AutoCloseable {

    /** The broker's {@code transaction.max.timeout.ms}, the Kafka default, set explicitly. */
    public static final Duration TRANSACTION_MAX_TIMEOUT = Duration.ofMinutes(15);

    private static final String LOOPBACK = ChildJvm.LOOPBACK;
    private static final String DATA_DIR = "data";
    private static final String CLASSPATH_RESOURCE = "broker.classpath";
    private static final String LOG4J_RESOURCE = "broker-log4j2.properties";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ADMIN_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private final Process process;
    private final Thread shutdownHook;
    private final Admin admin;
    private final String bootstrapServers;
    private final Path logFile;
    private boolean closed;

    private KafkaBroker(
            Process process,
            Thread shutdownHook,
            Admin admin,
            String bootstrapServers,
            Path logFile) {
        this.process = process;
        this.shutdownHook = shutdownHook;
        this.admin = admin;
        this.bootstrapServers = bootstrapServers;
        this.logFile = logFile;
    }

    /**
     * Formats the storage under {@code workDir} if it is not formatted yet, starts the broker and
     * waits until it is ready.
     *
     * @param workDir holds the configuration, the data ({@code data/}) and {@code broker.log};
     *     created if missing
     * @throws IOException if the broker cannot be configured, started or does not become ready
     *     within 60 s; the message names the broker log
     */
    public static KafkaBroker start(Path workDir) throws IOException {
        Path dir = workDir.toAbsolutePath();
        Files.createDirectories(dir);
        Path logFile = dir.resolve("broker.log");
        int[] ports = ChildJvm.freeLoopbackPorts(2);
        int brokerPort = ports[0];
        Path serverProperties = writeServerProperties(dir, brokerPort, ports[1]);
        Path argFile = writeArgFile(dir);

        // a restart on the same directory keeps its data and the cluster id it was formatted with
        if (!Files.exists(dir.resolve(DATA_DIR).resolve("meta.properties"))) {
            format(argFile, serverProperties, logFile);
        }
        Process process =
                launch(
                        argFile,
                        List.of(
                                ParentWatchdog.class.getName(),
                                "kafka.Kafka",
                                serverProperties.toString()),
                        logFile);
        Thread shutdownHook = new Thread(() -> stop(process), "kafka-broker-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        String bootstrapServers = LOOPBACK + ":" + brokerPort;
        try {
            Admin admin = awaitReady(process, brokerPort, bootstrapServers, logFile);
            return new KafkaBroker(process, shutdownHook, admin, bootstrapServers, logFile);
        } catch (IOException | RuntimeException e) {
            ChildJvm.removeShutdownHook(shutdownHook);
            stop(process);
            throw e;
        }
    }

    /** The {@code bootstrap.servers} value for clients, {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The file that receives the broker's stdout and stderr. */
    public Path logFile() {
        return logFile;
    }

    /**
     * Creates topics with one replica each and waits until every partition has a leader.
     *
     * @throws org.apache.kafka.common.errors.TopicExistsException if a topic already exists
     */
    public void createTopics(int partitions, String... names) {
        create(
                Arrays.stream(names)
                        .map(name -> new NewTopic(name, partitions, (short) 1))
                        .collect(Collectors.toList()));
    }

    /**
     * Creates a topic with {@code cleanup.policy=compact} and one replica, and waits until every
     * partition has a leader.
     *
     * @throws org.apache.kafka.common.errors.TopicExistsException if the topic already exists
     */
    public void createCompactedTopic(String name, int partitions) {
        create(
                List.of(
                        new NewTopic(name, partitions, (short) 1)
                                .configs(
                                        Map.of(
                                                TopicConfig.CLEANUP_POLICY_CONFIG,
                                                TopicConfig.CLEANUP_POLICY_COMPACT))));
    }

    /**
     * Stops the broker gracefully (up to 30 s, then forcibly) and waits for its JVM to exit.
     * Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        ChildJvm.removeShutdownHook(shutdownHook);
        admin.close(ADMIN_CLOSE_TIMEOUT);
        stop(process);
    }

    private void create(List<NewTopic> topics) {
        await(admin.createTopics(topics).all());
        List<String> names = topics.stream().map(NewTopic::name).collect(Collectors.toList());
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        // the controller has committed the topics; the broker may still be applying them
        while (!allPartitionsHaveLeaders(names)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "topics " + names + " have partitions without a leader; see " + logFile);
            }
            pause(POLL_INTERVAL);
        }
    }

    private boolean allPartitionsHaveLeaders(List<String> names) {
        Collection<TopicDescription> descriptions;
        try {
            descriptions = admin.describeTopics(names).allTopicNames().get().values();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw rethrow(e);
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        }
        return descriptions.stream()
                .flatMap(description -> description.partitions().stream())
                .map(TopicPartitionInfo::leader)
                .allMatch(leader -> leader != null && !leader.isEmpty());
    }

    private static void format(Path argFile, Path serverProperties, Path logFile)
            throws IOException {
        Process format =
                launch(
                        argFile,
                        List.of(
                                "kafka.tools.StorageTool",
                                "format",
                                "--cluster-id",
                                Uuid.randomUuid().toString(),
                                "--config",
                                serverProperties.toString()),
                        logFile);
        try {
            if (!format.waitFor(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                format.destroyForcibly();
                throw new IOException(
                        "formatting Kafka storage took over " + READY_TIMEOUT + "; see " + logFile);
            }
        } catch (InterruptedException e) {
            format.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while formatting Kafka storage");
        }
        if (format.exitValue() != 0) {
            throw new IOException(
                    "formatting Kafka storage failed with exit code "
                            + format.exitValue()
                            + "; see "
                            + logFile);
        }
    }

    private static Process launch(Path argFile, List<String> mainAndArgs, Path logFile)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("@" + argFile);
        command.addAll(mainAndArgs);
        return new ProcessBuilder(command)
                .directory(argFile.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
    }

    private static Admin awaitReady(
            Process process, int brokerPort, String bootstrapServers, Path logFile)
            throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        // connecting before the port is open would fill the caller's log with client warnings
        while (!accepts(brokerPort)) {
            checkProgress(process, deadline, logFile);
            pauseDuringStart(POLL_INTERVAL);
        }
        Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                AdminClientConfig.CLIENT_ID_CONFIG,
                                "local-kafka-admin"));
        try {
            // describeCluster lists only unfenced brokers: one that can lead partitions
            while (!hasBroker(admin)) {
                checkProgress(process, deadline, logFile);
                pauseDuringStart(POLL_INTERVAL);
            }
            return admin;
        } catch (IOException | RuntimeException e) {
            admin.close(ADMIN_CLOSE_TIMEOUT);
            throw e;
        }
    }

    private static boolean hasBroker(Admin admin) throws InterruptedIOException {
        try {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(1_000))
                    .nodes()
                    .get()
                    .isEmpty();
        } catch (ExecutionException e) {
            // not serving metadata yet; the caller retries until its deadline
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the Kafka broker");
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void checkProgress(Process process, long deadline, Path logFile)
            throws IOException {
        if (!process.isAlive()) {
            throw new IOException(
                    "Kafka broker exited with code "
                            + process.exitValue()
                            + " before it was ready; see "
                            + logFile);
        }
        if (System.nanoTime() > deadline) {
            throw new IOException(
                    "Kafka broker not ready within " + READY_TIMEOUT + "; see " + logFile);
        }
    }

    private static void stop(Process process) {
        // collected first: once the broker is gone its children are no longer its descendants
        List<ProcessHandle> descendants = process.descendants().collect(Collectors.toList());
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static Path writeServerProperties(Path dir, int brokerPort, int controllerPort)
            throws IOException {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@" + LOOPBACK + ":" + controllerPort);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put(
                "listeners",
                "PLAINTEXT://"
                        + LOOPBACK
                        + ":"
                        + brokerPort
                        + ",CONTROLLER://"
                        + LOOPBACK
                        + ":"
                        + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://" + LOOPBACK + ":" + brokerPort);
        config.put("log.dirs", dir.resolve(DATA_DIR).toString());
        config.put("num.partitions", "4");
        config.put("auto.create.topics.enable", "false");
        // one node: internal topics cannot have more replicas, transactions fail without these
        config.put("offsets.topic.replication.factor", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("transaction.max.timeout.ms", Long.toString(TRANSACTION_MAX_TIMEOUT.toMillis()));
        // the 128 MiB default would be taken from the child's small heap
        config.put("log.cleaner.dedupe.buffer.size", "4194304");

        StringBuilder text =
                new StringBuilder("# written by ")
                        .append(KafkaBroker.class.getName())
                        .append(" at every start\n");
        config.forEach(
                (key, value) ->
                        text.append(key)
                                .append('=')
                                .append(value.replace("\\", "\\\\"))
                                .append('\n'));
        Path file = dir.resolve("server.properties");
        Files.writeString(file, text);
        return file;
    }

    private static Path writeArgFile(Path dir) throws IOException {
        Path log4jConfig = dir.resolve("log4j2.properties");
        try (InputStream in = resource(LOG4J_RESOURCE)) {
            Files.write(log4jConfig, in.readAllBytes());
        }
        List<String> args =
                List.of(
                        "-Xmx256m",
                        // a serial collector and C1 only: the broker starts in about a second
                        // less, and the cores stay with the tests; test and local-run loads never
                        // need a parallel GC or C2's peak speed
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-Djava.awt.headless=true",
                        // Kafka logs its own shutdown; log4j must not stop before it
                        "-Dlog4j2.shutdownHookEnabled=false",
                        "-Dlog4j2.configurationFile=" + log4jConfig,
                        "-cp",
                        brokerClasspath());
        return ChildJvm.writeArgFile(dir.resolve("broker.args"), args);
    }

    /**
     * The broker's jars as resolved at build time, then this module's own code location, which
     * holds {@link ParentWatchdog} and comes last so that nothing in it shadows a broker class.
     */
    private static String brokerClasspath() throws IOException {
        try (InputStream in = resource(CLASSPATH_RESOURCE)) {
            return ChildJvm.classpath(
                    new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    ownCodeLocation(),
                    "rebuild local-kafka (mvn -pl local-kafka install)");
        }
    }

    private static Path ownCodeLocation() {
        try {
            return Path.of(
                    KafkaBroker.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate local-kafka's own classes", e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = KafkaBroker.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException(
                    "resource "
                            + name
                            + " missing next to "
                            + KafkaBroker.class.getName()
                            + "; build local-kafka with Maven");
        }
        return in;
    }

    private static <T> T await(KafkaFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw rethrow(e);
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        }
    }

    /** Kafka's own exceptions are unchecked; they are more useful to callers than the wrapper. */
    private static RuntimeException rethrow(ExecutionException e) {
        if (e.getCause() instanceof RuntimeException) {
            return (RuntimeException) e.getCause();
        }
        return new IllegalStateException(e.getCause());
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        }
    }

    private static void pauseDuringStart(Duration duration) throws InterruptedIOException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the Kafka broker");
        }
    }
}
