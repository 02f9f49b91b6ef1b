package dev.servicehealth.simulator;

import dev.servicehealth.model.Region;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The scenario of one run laid out in simulated time: its phases, how severe each incident is at
 * any instant (0 = healthy, 1 = fully broken, decaying linearly while it recovers), the status
 * events that mark it, and forwarder stalls that belong to the story.
 */
final class ScenarioTimeline {

    /** A status signal the scenario emits at a fixed instant. */
    record PlannedStatus(
            long timeMs,
            String type,
            String origin,
            Region region,
            String service,
            String endpoint,
            String summary,
            String version) {}

    /** A region/AZ log forwarder that holds its lines from {@code fromMs} until {@code flushMs}. */
    record Stall(Region region, String az, long fromMs, long flushMs) {
        boolean holds(String lineAz, long emissionMs) {
            return az.equals(lineAz) && emissionMs >= fromMs && emissionMs < flushMs;
        }
    }

    static final String IDENTITY_SERVICE = "identity";
    private static final long MIN_STALL_MS = Duration.ofMinutes(1).toMillis();

    private final Scenario scenario;
    private final long incidentStart;
    private final long recoveryStart;
    private final long recoveredAt;
    private final List<ScenarioPhase> phases = new ArrayList<>();
    private final List<PlannedStatus> statuses = new ArrayList<>();
    private final List<Stall> stalls = new ArrayList<>();

    ScenarioTimeline(
            Scenario scenario,
            long startMs,
            long endMs,
            EndpointProfile hottest,
            long maxJitterMs) {
        this.scenario = scenario;
        long span = endMs - startMs;
        switch (scenario) {
            case STEADY_STATE -> {
                incidentStart = endMs;
                recoveryStart = endMs;
                recoveredAt = endMs;
                phases.add(new ScenarioPhase("steady", startMs, endMs));
            }
            case EMEA_AUTH_OUTAGE -> {
                incidentStart = startMs + span * 20 / 100;
                recoveryStart = startMs + span * 60 / 100;
                recoveredAt = startMs + span * 75 / 100;
                addPhases(startMs, endMs, "outage");
                String version = "identity-2026.11.3";
                statuses.add(
                        new PlannedStatus(
                                incidentStart,
                                "deploy",
                                "argo",
                                Region.EMEA,
                                IDENTITY_SERVICE,
                                null,
                                "deploy " + version + " to EMEA (new HSM client pool)",
                                version));
                statuses.add(
                        new PlannedStatus(
                                incidentStart + span * 5 / 100,
                                "incident",
                                "servicenow",
                                Region.EMEA,
                                IDENTITY_SERVICE,
                                "/services/oauth2/token",
                                "opened: EMEA logins and token minting failing",
                                "INC0042017"));
                statuses.add(
                        new PlannedStatus(
                                recoveryStart,
                                "deploy",
                                "argo",
                                Region.EMEA,
                                IDENTITY_SERVICE,
                                null,
                                "rollback to identity-2026.11.2",
                                "identity-2026.11.2"));
                statuses.add(
                        new PlannedStatus(
                                recoveredAt,
                                "incident",
                                "servicenow",
                                Region.EMEA,
                                IDENTITY_SERVICE,
                                "/services/oauth2/token",
                                "resolved: rollback restored EMEA auth",
                                "INC0042017"));
                // The forwarder of one EMEA AZ choked on the error flood and flushes its buffer
                // when the rollback lands: late lines, but within the bound.
                long held =
                        Math.min(
                                Lateness.MAX_WITHIN_BOUND.toMillis() - maxJitterMs,
                                recoveryStart - incidentStart);
                if (held >= MIN_STALL_MS) {
                    stalls.add(
                            new Stall(
                                    Region.EMEA,
                                    TrafficModel.availabilityZones(Region.EMEA).get(1),
                                    recoveryStart - held,
                                    recoveryStart));
                }
            }
            case BAD_DEPLOY_HOT_ENDPOINT -> {
                incidentStart = startMs + span * 25 / 100;
                recoveryStart = startMs + span * 55 / 100;
                recoveredAt = startMs + span * 65 / 100;
                addPhases(startMs, endMs, "degraded");
                String service = hottest.info().service();
                String version = service + "-2026.11.8";
                statuses.add(
                        new PlannedStatus(
                                incidentStart,
                                "deploy",
                                "spinnaker",
                                null,
                                service,
                                hottest.primaryEndpoint(),
                                "deploy " + version + " (global)",
                                version));
                statuses.add(
                        new PlannedStatus(
                                recoveryStart,
                                "deploy",
                                "spinnaker",
                                null,
                                service,
                                hottest.primaryEndpoint(),
                                "rollback to " + service + "-2026.11.7",
                                service + "-2026.11.7"));
            }
            default -> throw new IllegalArgumentException(scenario.name());
        }
    }

    private void addPhases(long startMs, long endMs, String incidentName) {
        phases.add(new ScenarioPhase("baseline", startMs, incidentStart));
        phases.add(new ScenarioPhase(incidentName, incidentStart, recoveryStart));
        phases.add(new ScenarioPhase("recovery", recoveryStart, recoveredAt));
        phases.add(new ScenarioPhase("recovered", recoveredAt, endMs));
    }

    /** How broken EMEA auth is at {@code timeMs}. */
    double emeaAuthSeverity(long timeMs) {
        return scenario == Scenario.EMEA_AUTH_OUTAGE ? severity(timeMs) : 0;
    }

    /** How broken the hottest endpoint is at {@code timeMs}. */
    double badDeploySeverity(long timeMs) {
        return scenario == Scenario.BAD_DEPLOY_HOT_ENDPOINT ? severity(timeMs) : 0;
    }

    private double severity(long timeMs) {
        if (timeMs < incidentStart || timeMs >= recoveredAt) {
            return 0;
        }
        if (timeMs < recoveryStart) {
            return 1;
        }
        return (double) (recoveredAt - timeMs) / (recoveredAt - recoveryStart);
    }

    List<ScenarioPhase> phases() {
        return List.copyOf(phases);
    }

    List<PlannedStatus> plannedStatuses() {
        return List.copyOf(statuses);
    }

    List<Stall> plannedStalls() {
        return List.copyOf(stalls);
    }
}
