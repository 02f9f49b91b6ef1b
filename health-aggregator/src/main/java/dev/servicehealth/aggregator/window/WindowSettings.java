package dev.servicehealth.aggregator.window;

import java.io.Serializable;
import java.time.Duration;

/**
 * How the KPI windows fire and where their meters go.
 *
 * @param earlyInterval how often an open window (or a closed one changed by late events) is emitted
 *     again
 * @param allowedLateness how long after its end a window still takes late events
 * @param metricsPort the scrape port of the task manager's meters, -1 for none
 * @param generation the generation the rows are computed by ({@code KpiVersion})
 */
public record WindowSettings(
        Duration earlyInterval,
        Duration allowedLateness,
        int metricsPort,
        String metricsBindAddress,
        int generation)
        implements Serializable {}
