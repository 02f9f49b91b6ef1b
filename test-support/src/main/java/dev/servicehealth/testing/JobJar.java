package dev.servicehealth.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.client.program.PackagedProgramUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;

/**
 * A job's shaded jar as {@code flink run} sees it: the jar the build attached with the {@code job}
 * classifier (its path in the system property {@code job.jar}, which the build sets for the
 * integration tests), opened by Flink's own {@link PackagedProgram}, whose main runs in a
 * child-first user-code class loader and hands back the job graph instead of executing it. Flink's
 * class loader loads {@code org.apache.flink} classes parent first, so the test's own class path
 * would hide a connector missing from the jar: the graph is built in a child JVM.
 */
public final class JobJar {
    private final Path path;

    private JobJar(Path path) {
        this.path = path;
    }

    /** The jar of the module under test. */
    public static JobJar ofModuleUnderTest() {
        String property = System.getProperty("job.jar");
        if (property == null) {
            throw new IllegalStateException(
                    "system property job.jar is not set: run this test with failsafe (mvn verify)");
        }
        Path path = Path.of(property);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " is missing: the package phase builds it");
        }
        return new JobJar(path);
    }

    /** The main class the manifest names. */
    public String mainClass() throws IOException {
        try (JarFile jar = new JarFile(path.toFile())) {
            return jar.getManifest().getMainAttributes().getValue("Main-Class");
        }
    }

    public boolean contains(String entry) throws IOException {
        try (JarFile jar = new JarFile(path.toFile())) {
            return jar.getEntry(entry) != null;
        }
    }

    /**
     * What would keep a cluster from running the jar as the job {@code main}: a manifest naming
     * another main class; the Kafka connector or the job's metric reporter left out (a cluster
     * provides neither); Flink's runtime shaded in (it must come from the cluster, or two copies of
     * its classes meet). Empty when the jar is ready for {@code flink run}.
     */
    public List<String> problems(Class<?> main) throws IOException {
        List<String> problems = new ArrayList<>();
        if (!main.getName().equals(mainClass())) {
            problems.add("manifest names main class " + mainClass() + ", not " + main.getName());
        }
        if (!contains(main.getName().replace('.', '/') + ".class")) {
            problems.add("the main class is not in the jar");
        }
        if (!contains("org/apache/flink/connector/kafka/source/KafkaSource.class")) {
            problems.add("the Kafka connector is not shaded in");
        }
        if (!serviceProviders("org.apache.flink.metrics.reporter.MetricReporterFactory")
                .contains("dev.servicehealth.runtime.FlinkMetricsBridgeFactory")) {
            problems.add("the service file of the job's metric reporter is missing");
        }
        for (String runtime :
                List.of(
                        "org/apache/flink/streaming/api/environment/StreamExecutionEnvironment.class",
                        "org/apache/flink/runtime/jobgraph/JobGraph.class")) {
            if (contains(runtime)) {
                problems.add("Flink's runtime is shaded in: " + runtime);
            }
        }
        return problems;
    }

    /** The lines of a service file in the jar; empty when the jar has none. */
    public List<String> serviceProviders(String service) throws IOException {
        try (JarFile jar = new JarFile(path.toFile())) {
            ZipEntry entry = jar.getEntry("META-INF/services/" + service);
            if (entry == null) {
                return List.of();
            }
            List<String> providers = new ArrayList<>();
            for (String line : new String(jar.getInputStream(entry).readAllBytes()).split("\\R")) {
                String provider = line.replaceFirst("#.*", "").trim();
                if (!provider.isEmpty()) {
                    providers.add(provider);
                }
            }
            return providers;
        }
    }

    /**
     * The names of the vertices of the job graph the jar's main builds with {@code args}, each the
     * chain of operators it runs, built the way {@code flink run} builds it before submitting: in a
     * JVM whose class path holds only what a Flink cluster provides (the build's list of the
     * module's provided dependencies, in the system property {@code flink.provided.classpath}, and
     * the libraries the Flink distribution bundles), so every other class must come from the jar.
     */
    public List<String> jobGraphVertices(int parallelism, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(clusterClasspath());
        command.add(Inspect.class.getName());
        command.add(path.toString());
        command.add(String.valueOf(parallelism));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("job-graph", ".log");
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        boolean exited = process.waitFor(2, TimeUnit.MINUTES);
        if (!exited) {
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        Files.delete(log);
        if (!exited || process.exitValue() != 0) {
            throw new AssertionError("flink run could not build the job graph:\n" + output);
        }
        return output.lines()
                .filter(line -> line.startsWith(VERTEX))
                .map(line -> line.substring(VERTEX.length()))
                .toList();
    }

    private static String clusterClasspath() throws IOException, ClassNotFoundException {
        String file = System.getProperty("flink.provided.classpath");
        if (file == null) {
            throw new IllegalStateException(
                    "system property flink.provided.classpath is not set: run with failsafe");
        }
        List<String> entries =
                new ArrayList<>(
                        List.of(Files.readString(Path.of(file)).trim().split(File.pathSeparator)));
        // in flink-dist, and compile dependencies of some jobs (commons-compress of Iceberg's
        // Avro), so not in the provided list
        for (String bundled :
                List.of(
                        "org.slf4j.Logger",
                        "org.apache.commons.lang3.StringUtils",
                        "org.apache.commons.compress.utils.Sets")) {
            entries.add(location(Class.forName(bundled)));
        }
        entries.add(location(Inspect.class));
        return String.join(File.pathSeparator, entries);
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String VERTEX = "vertex: ";

    /** The child's main: prints the vertices of the jar's job graph, one a line. */
    public static final class Inspect {
        private Inspect() {}

        public static void main(String[] args) throws Exception {
            PackagedProgram program =
                    PackagedProgram.newBuilder()
                            .setJarFile(new File(args[0]))
                            .setArguments(Arrays.copyOfRange(args, 2, args.length))
                            .build();
            try {
                JobGraph graph =
                        PackagedProgramUtils.createJobGraph(
                                program, new Configuration(), Integer.parseInt(args[1]), false);
                for (JobVertex vertex : graph.getVerticesSortedTopologicallyFromSources()) {
                    System.out.println(VERTEX + vertex.getName());
                }
            } finally {
                program.close();
            }
        }
    }
}
