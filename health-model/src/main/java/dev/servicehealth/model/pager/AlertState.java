package dev.servicehealth.model.pager;

/** What happened to one alert of one objective in one scope. */
public enum AlertState {
    /** A pair tripped: the budget is burning. Emitted once per incident. */
    FIRING,
    /**
     * Still firing: the current figures, once per ten seconds of event time, so that whoever
     * decides which scope pages compares burns of the same moment.
     */
    BURNING,
    /** No pair trips any more and the short windows hold events again to prove it. */
    RESOLVED,
    /** A scope that had traffic went silent for longer than its traffic explains. */
    DATA_MISSING,
    /** Events of a scope reported missing arrive again. */
    DATA_BACK,
    /**
     * The scope sent nothing for the longest window: its alerts end, its state is gone. A
     * decommissioned service or a departed tenant ends here.
     */
    EXPIRED
}
