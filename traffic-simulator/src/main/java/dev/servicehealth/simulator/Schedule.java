package dev.servicehealth.simulator;

/** Where generators put records, each to be emitted at its own simulated instant. */
interface Schedule {

    /**
     * @param emitMs the emission time (Kafka timestamp); not before the current tick
     * @param firstOf the logical request this record first carries, or null
     * @param duplicate whether this record is a retry of an already scheduled request
     */
    void add(
            long emitMs,
            RawTopic topic,
            byte[] key,
            byte[] value,
            Expectation expectation,
            LogicalRequest firstOf,
            boolean duplicate);
}
