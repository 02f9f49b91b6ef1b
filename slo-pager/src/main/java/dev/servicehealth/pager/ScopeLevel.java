package dev.servicehealth.pager;

/**
 * Where an objective is burned: the whole fleet, a region, an availability zone of a region, a
 * service everywhere, or one premium tenant. Each level names the level that contains it, so that a
 * firing parent can speak for its children: a regional outage is one page, not one per zone.
 */
public enum ScopeLevel {
    GLOBAL(null),
    REGION(GLOBAL),
    ZONE(REGION),
    SERVICE(GLOBAL),
    TENANT(GLOBAL);

    private final ScopeLevel parent;

    ScopeLevel(ScopeLevel parent) {
        this.parent = parent;
    }

    /** The level containing this one; {@code null} for {@link #GLOBAL}. */
    public ScopeLevel parent() {
        return parent;
    }
}
