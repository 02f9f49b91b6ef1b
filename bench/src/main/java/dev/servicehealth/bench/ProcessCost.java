package dev.servicehealth.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * What one job execution cost the whole process: wall time, CPU time of every thread (task, Flink
 * runtime, RocksDB's background threads, JIT, GC) and garbage collections. Events per CPU-second
 * over this is the cost per core.
 */
record ProcessCost(long wallNanos, long cpuNanos, long gcCount, long gcMillis, double loadBefore) {

    /** Runs {@code work} and measures it. */
    static ProcessCost of(Work work) throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean();
        double load = os.getSystemLoadAverage();
        long gcCount0 = totalGcCount();
        long gcMillis0 = totalGcMillis();
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        work.run();
        return new ProcessCost(
                System.nanoTime() - wall0,
                os.getProcessCpuTime() - cpu0,
                totalGcCount() - gcCount0,
                totalGcMillis() - gcMillis0,
                load);
    }

    double perWallSecond(long events) {
        return events * 1e9 / wallNanos;
    }

    double perCpuSecond(long events) {
        return events * 1e9 / cpuNanos;
    }

    private static long totalGcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount)
                .sum();
    }

    private static long totalGcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime)
                .sum();
    }

    /** The measured work. */
    interface Work {
        void run() throws Exception;
    }
}
