package dev.servicehealth.localkafka;

import java.io.IOException;
import java.util.Arrays;

/**
 * Entry point of the broker's child JVM: runs the given main class and exits the JVM as soon as
 * standard input reaches end of file.
 *
 * <p>The parent keeps the write end of that pipe open for as long as it lives, and the operating
 * system closes it when the parent dies in any way, including {@code kill -9}, where shutdown hooks
 * do not run. A broker therefore never outlives the JVM that started it. {@link System#exit} runs
 * the broker's own shutdown hook, so it still stops cleanly.
 */
final class ParentWatchdog {

    private ParentWatchdog() {}

    /**
     * @param args the main class to run, followed by its arguments
     */
    public static void main(String[] args) throws ReflectiveOperationException {
        Thread watcher =
                new Thread(
                        () -> {
                            try {
                                while (System.in.read() != -1) {
                                    // the parent never writes; reading only waits for EOF
                                }
                            } catch (IOException e) {
                                // a broken pipe means the same as EOF: the parent is gone
                            }
                            System.exit(0);
                        },
                        "parent-watchdog");
        watcher.setDaemon(true);
        watcher.start();
        Class.forName(args[0])
                .getMethod("main", String[].class)
                .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}
