package org.flamenco.worker.outbox;

import java.time.Duration;
import java.util.Objects;

/**
 * A view of the queue for back-pressure and observability.
 *
 * @param elements           queued elements (sendable or not), dead letters excluded
 * @param undeliveredPushes  releases whose material is not yet delivered (the fetch loop pauses above 10)
 * @param finalStatusPending true while a {@code completed}/{@code failed} status of any execution is undelivered
 * @param oldestAge          age of the oldest queued element, zero when empty
 * @param bytes              log bytes queued (activity updates count their JSON size), for monitoring
 */
public record QueueState(long elements, int undeliveredPushes, boolean finalStatusPending, Duration oldestAge,
                         long bytes) {
    /** Above this many undelivered pushes the fetch loop requests no task (same threshold as the original). */
    public static final int MAX_UNDELIVERED_PUSHES = 10;

    public QueueState {
        Objects.requireNonNull(oldestAge, "oldestAge");
    }

    /** Without the byte count (zero). */
    public QueueState(long elements, int undeliveredPushes, boolean finalStatusPending, Duration oldestAge) {
        this(elements, undeliveredPushes, finalStatusPending, oldestAge, 0);
    }

    /** True when the fetch loop must not call {@code /task} now (worker-behaviour.md §13.6, §13.7). */
    public boolean blocksFetching() {
        return undeliveredPushes > MAX_UNDELIVERED_PUSHES || finalStatusPending;
    }
}
