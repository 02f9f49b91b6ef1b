package dev.servicehealth.runtime.clock;

/** A clock mark on its way to one partition of one topic. */
public record AddressedMark(String topic, int partition, ClockMark mark) {}
