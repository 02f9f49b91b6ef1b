package dev.servicehealth.childjvm;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The pieces every local server (Kafka, Pinot) needs to run in a child JVM of its own: loopback
 * ports, a {@code java @argfile} with its classpath, and the shutdown hook that stops it.
 */
public final class ChildJvm {
    public static final String LOOPBACK = "127.0.0.1";
    private static final String PATH_SEPARATOR = System.getProperty("path.separator");

    private ChildJvm() {}

    /** Distinct ports on 127.0.0.1 that were free a moment ago. */
    public static int[] freeLoopbackPorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            // all held open together so that the ports are distinct
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK)));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /**
     * The classpath a build resolved ({@code path.separator}-joined), checked entry by entry, with
     * {@code ownCode} last so that nothing in it shadows a server class.
     *
     * @param rebuild the command that restores a missing entry, for the error message
     */
    public static String classpath(String resolved, Path ownCode, String rebuild)
            throws IOException {
        List<String> entries =
                new ArrayList<>(Arrays.asList(resolved.strip().split(PATH_SEPARATOR)));
        entries.removeIf(String::isEmpty);
        for (String entry : entries) {
            if (!Files.exists(Path.of(entry))) {
                throw new IOException("classpath entry " + entry + " is missing; " + rebuild);
            }
        }
        entries.add(ownCode.toString());
        return String.join(PATH_SEPARATOR, entries);
    }

    /** Writes a {@code java @argfile}, one quoted argument per line. */
    public static Path writeArgFile(Path file, List<String> args) throws IOException {
        Files.writeString(
                file, args.stream().map(ChildJvm::quote).collect(Collectors.joining("\n")) + "\n");
        return file;
    }

    /** Removes a stop hook once the child was stopped another way. */
    public static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down, and the hook stops the child itself
        }
    }

    /** Quotes one argument for an argfile, where backslash escapes inside quotes. */
    private static String quote(String arg) {
        return '"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
