package dev.servicehealth.pager;

import dev.servicehealth.model.catalog.ServiceLevelObjective;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * What the burn-rate evaluator needs to know.
 *
 * @param objectives the objectives it burns, by their ids in the counts
 * @param minSilence the shortest silence reported as missing data, however busy the scope
 * @param metricsPort the job's Prometheus port, -1 for none
 * @param metricsBindAddress where that port listens
 */
public record BurnSettings(
        List<ServiceLevelObjective> objectives,
        Duration minSilence,
        int metricsPort,
        String metricsBindAddress)
        implements Serializable {
    public BurnSettings {
        objectives = List.copyOf(objectives);
    }
}
