package dev.servicehealth.runtime.clock;

/**
 * One upstream writer's event-time progress, written into every partition of a clocked topic: from
 * here on, writer {@code writer} of {@code writers} sends no record whose clock is at or below
 * {@code watermarkMs}; or, when {@code idle}, it has nothing to send and must not hold the readers
 * back.
 *
 * @param writer the writing subtask's index
 * @param writers the writing job's parallelism: a reader knows the set of writers to wait for, and
 *     a mark of another parallelism means the writing job was rescaled
 */
public record ClockMark(int writer, int writers, long watermarkMs, boolean idle) {}
