package org.flamenco.worker.agent;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.task.TaskOutcome;

/**
 * Fast-failure quarantine (worker-behaviour.md §17): counts tasks in a row that ended {@code failed} within 30 s of
 * their start (an invalid task structure does not count; any other outcome resets the count). Not thread-safe:
 * used by the fetch-loop thread only.
 */
public final class Quarantine {
    static final Duration FAST = Duration.ofSeconds(30);
    private static final String INVALID_TASK = "Invalid task: ";

    private final int threshold;
    private final Clock clock;
    private int inARow;
    private long startedNanos;

    /** @param threshold {@code quarantine_fast_failures}; 0 disables */
    public Quarantine(int threshold, Clock clock) {
        this.threshold = threshold;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A task starts now. */
    void taskStarted() {
        startedNanos = clock.nanoTime();
    }

    /**
     * The task started last has ended with {@code result}.
     *
     * @return the error message when the worker must go to the error state now
     */
    Optional<String> taskEnded(TaskOutcome result) {
        return record(result, Duration.ofNanos(clock.nanoTime() - startedNanos));
    }

    /**
     * Records how a task ended.
     *
     * @return the error message when the worker must go to the error state now
     */
    private Optional<String> record(TaskOutcome result, Duration ran) {
        if (threshold <= 0) {
            return Optional.empty();
        }
        boolean failed = result.kind() == TaskOutcome.Kind.FAILED;
        if (failed && result.activity().startsWith(INVALID_TASK)) {
            return Optional.empty(); // a broken task document says nothing about this host
        }
        inARow = failed && ran.compareTo(FAST) < 0 ? inARow + 1 : 0;
        if (inARow < threshold) {
            return Optional.empty();
        }
        inARow = 0;
        return Optional.of("Quarantined after " + threshold + " tasks in a row failed within "
                + FAST.toSeconds() + " s; last failure: " + result.activity());
    }
}
