package org.flamenco.worker.metrics;

import java.time.Duration;
import java.util.Optional;

/**
 * The worker's condition at one moment, for {@code /healthz}, {@code flamenco-worker status} and the systemd status
 * line.
 *
 * @param taskId           the running task, empty when none
 * @param taskElapsed      how long it has run (zero when none)
 * @param queueOldestAge   age of the oldest undelivered update, zero when the queue is empty
 * @param lastContactAge   time since the last 2xx answer of the Manager; empty before the first
 * @param loopStalledFor   time since the fetch loop last showed life; zero while a task runs or before it starts
 * @param upFor            time since the worker started
 */
public record MetricsSnapshot(WorkerState state, String taskId, int taskProgress, Duration taskElapsed,
                              long queueElements, long queueBytes, Duration queueOldestAge,
                              Optional<Duration> lastContactAge, Duration loopStalledFor, boolean quarantined,
                              Duration upFor) {
    /** The running task, if any. */
    public Optional<String> runningTask() {
        return taskId.isEmpty() ? Optional.empty() : Optional.of(taskId);
    }
}
