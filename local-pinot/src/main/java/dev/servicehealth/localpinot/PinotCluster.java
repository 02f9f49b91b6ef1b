package dev.servicehealth.localpinot;

import dev.servicehealth.childjvm.ChildJvm;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Pinot cluster (ZooKeeper, controller, broker, server) running in a child JVM on
 * 127.0.0.1.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>Pinot is the version pinot-runtime was built with (0.11.0, the newest complete release on
 *       the registry here), with its own dependency tree in its own JVM: none of its jars reaches
 *       the caller's classpath, so Flink and Kafka 4 keep theirs.
 *   <li>ZooKeeper and every HTTP listener (controller, broker, server admin) listen on 127.0.0.1
 *       only, on ports found free when it starts. The server's query port (broker to server) binds
 *       every interface: Pinot 0.11 has no setting for its address.
 *   <li>{@link #start} returns only once the controller, broker and server answer their health
 *       checks and both instances have joined the cluster.
 *   <li>Data lives under {@code workDir}; a new start on a used directory begins from an empty
 *       cluster (tables are created by whoever starts it).
 *   <li>The cluster never outlives the JVM that started it: {@link #close()} stops it, a shutdown
 *       hook does so if the JVM exits without closing it, and the child exits by itself when the
 *       parent dies without running hooks ({@code kill -9}).
 * </ul>
 *
 * <p>Everything the child writes goes to {@code workDir/pinot.log}; failures name that file.
 */
public final class PinotCluster implements AutoCloseable {

    private static final String LOOPBACK = ChildJvm.LOOPBACK;
    private static final String NODE_MAIN = "dev.servicehealth.pinotruntime.PinotNode";
    private static final String RUNTIME_PACKAGE = "dev/servicehealth/pinotruntime/";
    private static final String CLASSPATH_RESOURCE = RUNTIME_PACKAGE + "pinot.classpath";
    private static final String LOG4J_RESOURCE = RUNTIME_PACKAGE + "pinot-log4j2.properties";
    private static final int DEFAULT_HEAP_MB = 512;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    private final Process process;
    private final Thread shutdownHook;
    private final URI controller;
    private final URI broker;
    private final Path logFile;
    private boolean closed;

    private PinotCluster(
            Process process, Thread shutdownHook, URI controller, URI broker, Path logFile) {
        this.process = process;
        this.shutdownHook = shutdownHook;
        this.controller = controller;
        this.broker = broker;
        this.logFile = logFile;
    }

    /**
     * Starts a cluster whose data lives under {@code workDir} and waits until it is ready.
     *
     * @param workDir holds the cluster's data and {@code pinot.log}; its previous data is deleted
     * @throws IOException if the node cannot be started or is not ready within 120 s; the message
     *     names the log
     */
    public static PinotCluster start(Path workDir) throws IOException {
        return start(workDir, DEFAULT_HEAP_MB);
    }

    /**
     * Starts a cluster as {@link #start(Path)} does, with a heap of {@code maxHeapMb} (the default
     * holds tests and the local run; upsert keeps every primary key on the heap, so a table of
     * millions of keys needs more).
     */
    public static PinotCluster start(Path workDir, int maxHeapMb) throws IOException {
        Path dir = workDir.toAbsolutePath();
        deleteRecursively(dir.resolve("data"));
        deleteRecursively(dir.resolve("tmp"));
        Files.createDirectories(dir);
        Path logFile = dir.resolve("pinot.log");
        int[] ports = ChildJvm.freeLoopbackPorts(5);
        Path argFile = writeArgFile(dir, maxHeapMb);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("@" + argFile);
        command.add(NODE_MAIN);
        command.add(dir.resolve("data").toString());
        Arrays.stream(ports).mapToObj(Integer::toString).forEach(command::add);
        Process process =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                        .start();
        Thread shutdownHook = new Thread(() -> stop(process), "pinot-cluster-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        URI controller = URI.create("http://" + LOOPBACK + ":" + ports[1]);
        URI broker = URI.create("http://" + LOOPBACK + ":" + ports[2]);
        URI serverAdmin = URI.create("http://" + LOOPBACK + ":" + ports[4]);
        try {
            awaitReady(process, controller, broker, serverAdmin, logFile);
            return new PinotCluster(process, shutdownHook, controller, broker, logFile);
        } catch (IOException | RuntimeException e) {
            ChildJvm.removeShutdownHook(shutdownHook);
            stop(process);
            throw e;
        }
    }

    /** The controller's base URL: schemas, tables, segments, cluster state. */
    public URI controller() {
        return controller;
    }

    /** The broker's base URL: queries ({@code POST /query/sql}). */
    public URI broker() {
        return broker;
    }

    /** The file that receives the node's stdout and stderr. */
    public Path logFile() {
        return logFile;
    }

    /** Stops every part of the cluster (up to 30 s, then forcibly). Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        ChildJvm.removeShutdownHook(shutdownHook);
        stop(process);
    }

    private static void awaitReady(
            Process process, URI controller, URI broker, URI serverAdmin, Path logFile)
            throws IOException {
        HttpClient http =
                HttpClient.newBuilder()
                        // Pinot's HTTP server hangs on the client's HTTP/2 upgrade request
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(1))
                        .build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        for (URI health :
                List.of(
                        controller.resolve("/health"),
                        broker.resolve("/health"),
                        serverAdmin.resolve("/health"))) {
            while (!answersOk(http, health)) {
                checkProgress(process, deadline, logFile);
                pause();
            }
        }
        // the broker and the server register themselves before they report healthy, but the
        // controller may not have seen both yet
        URI instances = controller.resolve("/instances");
        while (!instancesJoined(http, instances)) {
            checkProgress(process, deadline, logFile);
            pause();
        }
    }

    private static boolean answersOk(HttpClient http, URI uri) throws InterruptedIOException {
        HttpResponse<String> response = get(http, uri);
        return response != null && response.statusCode() == 200;
    }

    private static boolean instancesJoined(HttpClient http, URI uri) throws InterruptedIOException {
        HttpResponse<String> response = get(http, uri);
        return response != null
                && response.statusCode() == 200
                && response.body().contains("\"Broker_")
                && response.body().contains("\"Server_");
    }

    private static HttpResponse<String> get(HttpClient http, URI uri)
            throws InterruptedIOException {
        try {
            return http.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // not listening yet; the caller retries until its deadline
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for Pinot");
        }
    }

    private static void checkProgress(Process process, long deadline, Path logFile)
            throws IOException {
        if (!process.isAlive()) {
            throw new IOException(
                    "Pinot exited with code "
                            + process.exitValue()
                            + " before it was ready; see "
                            + logFile);
        }
        if (System.nanoTime() > deadline) {
            throw new IOException("Pinot not ready within " + READY_TIMEOUT + "; see " + logFile);
        }
    }

    private static void pause() throws InterruptedIOException {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for Pinot");
        }
    }

    private static void stop(Process process) {
        // closing stdin is the node's signal to stop its parts in order and exit
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already closed: the node sees end of file either way
        }
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Path writeArgFile(Path dir, int maxHeapMb) throws IOException {
        Path log4jConfig = dir.resolve("log4j2.properties");
        try (InputStream in = resource(LOG4J_RESOURCE)) {
            Files.write(log4jConfig, in.readAllBytes());
        }
        // Pinot's protobuf decoder copies each table's descriptor into a temporary folder it never
        // deletes: in the cluster's folder they go with it
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<String> args =
                List.of(
                        "-Xmx" + maxHeapMb + "m",
                        // one small heap: a serial collector keeps the second core for the jobs
                        "-XX:+UseSerialGC",
                        "-Djava.awt.headless=true",
                        "-Djava.io.tmpdir=" + tmp,
                        "-Dlog4j2.configurationFile=" + log4jConfig,
                        "-cp",
                        nodeClasspath());
        return ChildJvm.writeArgFile(dir.resolve("pinot.args"), args);
    }

    /**
     * Pinot's jars as pinot-runtime resolved them at build time, then pinot-runtime's own location,
     * which holds the node's main class and comes last so that it shadows no Pinot class.
     */
    private static String nodeClasspath() throws IOException {
        try (InputStream in = resource(CLASSPATH_RESOURCE)) {
            return ChildJvm.classpath(
                    new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    runtimeLocation(),
                    "rebuild pinot-runtime (mvn -pl pinot-runtime install)");
        }
    }

    /** The jar or classes directory pinot-runtime's resources come from. */
    private static Path runtimeLocation() throws IOException {
        URL url = PinotCluster.class.getClassLoader().getResource(CLASSPATH_RESOURCE);
        if (url == null) {
            throw missing(CLASSPATH_RESOURCE);
        }
        try {
            if ("jar".equals(url.getProtocol())) {
                return Path.of(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
            }
            Path resource = Path.of(url.toURI());
            return resource.getRoot()
                    .resolve(
                            resource.subpath(
                                    0,
                                    resource.getNameCount()
                                            - Path.of(CLASSPATH_RESOURCE).getNameCount()));
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate pinot-runtime from " + url, e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = PinotCluster.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw missing(name);
        }
        return in;
    }

    private static IOException missing(String name) {
        return new IOException(
                "resource " + name + " missing from the classpath; build pinot-runtime with Maven");
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(path);
            }
        }
    }
}
