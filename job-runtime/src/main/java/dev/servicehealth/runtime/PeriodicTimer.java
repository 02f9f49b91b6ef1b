package dev.servicehealth.runtime;

import java.util.function.LongConsumer;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;

/**
 * Runs an operator's periodic work on its processing-time service, at every multiple of the
 * interval (so subtasks act in step), on the task thread like any other timer: what an operator
 * must do whether records arrive or not.
 */
public final class PeriodicTimer {
    private PeriodicTimer() {}

    /** Calls {@code action} with the timer's time at every multiple of {@code intervalMs}. */
    public static void every(ProcessingTimeService time, long intervalMs, LongConsumer action) {
        long now = time.getCurrentProcessingTime();
        time.registerTimer(
                (now / intervalMs + 1) * intervalMs,
                at -> {
                    action.accept(at);
                    every(time, intervalMs, action);
                });
    }
}
