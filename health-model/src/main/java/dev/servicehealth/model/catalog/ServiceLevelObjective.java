package dev.servicehealth.model.catalog;

import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.TenantTier;
import java.io.Serializable;
import java.util.Locale;

/**
 * One service level objective: the share of a tier's events that must be good. Its error budget is
 * the share that may be bad; a burn rate of 1 spends exactly that budget over the SLO period.
 *
 * @param name the objective without its tier, e.g. {@code availability}
 * @param tier the tenant tier whose events it judges
 * @param objective the share of good events promised, e.g. 0.999
 * @param definition what makes an event good, for people
 * @param judge what makes an event good, for the pager
 */
public record ServiceLevelObjective(
        String name, TenantTier tier, double objective, String definition, Judge judge)
        implements Serializable {

    /** Serializable, as the objective is, so that Flink operators can hold the catalog. */
    @FunctionalInterface
    public interface Judge extends Serializable {
        SloJudgement of(RequestEvent event);
    }

    public ServiceLevelObjective {
        if (!(objective > 0 && objective < 1)) {
            throw new IllegalArgumentException(
                    name + " for " + tier + ": objective must lie strictly between 0 and 1");
        }
    }

    /** {@code availability.premium}: the name the alerts and the docs use. */
    public String id() {
        return name + "." + tier.name().toLowerCase(Locale.ROOT);
    }

    public double errorBudget() {
        return 1 - objective;
    }

    /** The judgement of an event of this objective's tier; other tiers' events do not count. */
    public SloJudgement judge(RequestEvent event) {
        return event.tenantTier() == tier ? judge.of(event) : SloJudgement.NOT_COUNTED;
    }
}
