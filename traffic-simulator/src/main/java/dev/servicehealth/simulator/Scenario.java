package dev.servicehealth.simulator;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What happens during a simulated run. Incident phases are placed at fixed fractions of the run's
 * duration, so a 2-minute test run and a 1-hour demo tell the same story; {@link
 * GroundTruth#phases()} gives the exact instants of a run.
 */
public enum Scenario {
    /** Background traffic with the configured dirt; occasional deploys and flag changes. */
    STEADY_STATE("steady-state"),
    /**
     * A deploy of the identity service in EMEA (at 20 % of the run) breaks its dependencies: EMEA
     * auth outcomes become mostly dependency_error/timeout, token-mint latency jumps, EMEA gateway
     * 401/503 rise, EMEA log shippers write malformed lines, identity queue depth and CPU
     * throttling in EMEA rise. An incident ticket is opened; a rollback (at 60 %) starts the
     * recovery, which completes at 75 % with the ticket resolved. A stalled EMEA log forwarder
     * flushes its buffered lines when the rollback lands.
     */
    EMEA_AUTH_OUTAGE("emea-auth-outage"),
    /**
     * A deploy (at 25 %) of the service that owns the hottest endpoint raises 5xx and latency on
     * that endpoint only, in every region; a rollback deploy (at 55 %) starts the recovery,
     * complete at 65 %.
     */
    BAD_DEPLOY_HOT_ENDPOINT("bad-deploy-hot-endpoint");

    private final String cliName;

    Scenario(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** Accepts the CLI name ({@code emea-auth-outage}) or the constant name, in any case. */
    public static Scenario parse(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Scenario scenario : values()) {
            if (scenario.cliName.equals(wanted)) {
                return scenario;
            }
        }
        throw new IllegalArgumentException(
                "unknown scenario '"
                        + text
                        + "', expected one of "
                        + Arrays.stream(values())
                                .map(Scenario::cliName)
                                .collect(Collectors.joining(", ")));
    }
}
