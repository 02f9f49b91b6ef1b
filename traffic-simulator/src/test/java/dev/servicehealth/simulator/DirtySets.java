package dev.servicehealth.simulator;

/** Dirt rates high enough that a short run shows every kind many times. */
final class DirtySets {
    private DirtySets() {}

    static DirtRates heavy() {
        return DirtRates.defaults()
                .with(Dirt.MALFORMED, 0.01)
                .with(Dirt.NOT_OBJECT, 0.01)
                .with(Dirt.EMPTY, 0.01)
                .with(Dirt.MISSING_FIELD, 0.02)
                .with(Dirt.INVALID_VALUE, 0.02)
                .with(Dirt.DRIFT, 0.3)
                .with(Dirt.DUPLICATE, 0.05)
                .with(Dirt.UNKNOWN_STATUS_TYPE, 0.3)
                .with(Dirt.UNDECODABLE_REMOTE_WRITE, 0.3)
                .with(Dirt.SERIES_MISSING_REGION, 0.3)
                .with(Dirt.UNKNOWN_TENANT, 0.01)
                .with(Dirt.UNMAPPED_ENDPOINT, 0.01);
    }
}
