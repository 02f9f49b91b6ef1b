package dev.servicehealth.model.pager;

/**
 * Where an objective is burned: the whole fleet, a region, an availability zone of a region, a
 * service everywhere, or one premium tenant in one region. Each level names the level that contains
 * it, so that a firing parent can speak for its children: a regional outage is one page, not one
 * per zone and tenant.
 */
public enum ScopeLevel {
    GLOBAL(null),
    REGION(GLOBAL),
    ZONE(REGION),
    SERVICE(GLOBAL),
    TENANT(REGION);

    /** The one scope of {@link #GLOBAL}. */
    public static final String ALL = "all";

    private final ScopeLevel parent;

    ScopeLevel(ScopeLevel parent) {
        this.parent = parent;
    }

    /** The level containing this one; {@code null} for {@link #GLOBAL}. */
    public ScopeLevel parent() {
        return parent;
    }

    /**
     * The scope containing {@code scope} of this level, at the parent level: the region of a zone
     * or a tenant ({@code EMEA/…} → {@code EMEA}), the fleet of a region or a service; {@code null}
     * for the fleet itself.
     */
    public String parentScope(String scope) {
        return switch (this) {
            case GLOBAL -> null;
            case REGION, SERVICE -> ALL;
            case ZONE, TENANT -> scope.substring(0, scope.indexOf('/'));
        };
    }
}
