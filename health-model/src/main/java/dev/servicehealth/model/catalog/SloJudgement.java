package dev.servicehealth.model.catalog;

/** What a service level objective makes of one event. */
public enum SloJudgement {
    /** The event is not one the objective is about (another source, tier or a missing value). */
    NOT_COUNTED,
    GOOD,
    BAD
}
