package dev.servicehealth.pager;

import dev.servicehealth.model.RequestEvent;
import dev.servicehealth.model.TenantTier;
import dev.servicehealth.model.catalog.ServiceLevelObjective;
import dev.servicehealth.model.catalog.SloJudgement;
import dev.servicehealth.model.pager.ScopeLevel;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one request event into what it adds to every scope it belongs to: the fleet, its region,
 * its region's zone, its service and, for a premium tenant, the tenant in its region. Only premium
 * tenants get a scope of their own: their contracts carry the SLA, and the other tiers' tenants are
 * too many and too small to burn a budget by themselves. A tenant is scoped per region so that a
 * regional outage speaks for the region's tenants too.
 */
public final class SloScopes implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<ServiceLevelObjective> objectives;

    public SloScopes(List<ServiceLevelObjective> objectives) {
        this.objectives = List.copyOf(objectives);
    }

    public List<SloCount> countsOf(RequestEvent event) {
        List<SloCount> counts = new ArrayList<>();
        for (ServiceLevelObjective slo : objectives) {
            SloJudgement judgement = slo.judge(event);
            if (judgement == SloJudgement.NOT_COUNTED) {
                continue;
            }
            boolean bad = judgement == SloJudgement.BAD;
            long time = event.eventTimeMs();
            for (ScopeLevel level : ScopeLevel.values()) {
                String scope = scope(level, event);
                if (scope != null) {
                    counts.add(
                            new SloCount(
                                    slo.id(),
                                    level,
                                    scope,
                                    time,
                                    bad ? 0 : 1,
                                    bad ? 1 : 0,
                                    bad ? time : Long.MAX_VALUE));
                }
            }
        }
        return counts;
    }

    /** The event's scope at a level, {@code null} where it has none. */
    static String scope(ScopeLevel level, RequestEvent event) {
        return switch (level) {
            case GLOBAL -> ScopeLevel.ALL;
            case REGION -> event.region().name();
            case ZONE -> event.region().name() + "/" + event.zone();
            case SERVICE ->
                    event.service() == null || event.service().isEmpty() ? null : event.service();
            case TENANT ->
                    event.tenantTier() == TenantTier.PREMIUM
                            ? event.region().name() + "/" + event.tenantToken()
                            : null;
        };
    }
}
