package dev.servicehealth.simulator;

/**
 * One phase of a run's scenario in simulated time, e.g. {@code outage} from 10:01:00 to 10:03:00.
 *
 * @param startMs inclusive
 * @param endMs exclusive
 */
public record ScenarioPhase(String name, long startMs, long endMs) {

    public boolean contains(long timeMs) {
        return timeMs >= startMs && timeMs < endMs;
    }
}
