package org.flamenco.worker.task;

import java.util.Objects;

import org.flamenco.worker.model.ExecutionId;

/**
 * How a task execution ended (worker-behaviour.md §8.2).
 *
 * @param kind      completed, failed or stopped
 * @param activity  the last activity text (for a failure: what went wrong)
 * @param execution the execution the outcome belongs to, so a caller can bind later lines to it (e.g. the
 *                  "returned this task" line after a stop); its execution id is {@code "none"} when the outbox
 *                  could not even begin one
 */
public record TaskOutcome(Kind kind, String activity, ExecutionId execution) {
    /** The closed set of endings. */
    public enum Kind {
        /** Every command succeeded; {@code completed} was sent. */
        COMPLETED,
        /** A command, the task structure or the worker failed; {@code failed} was sent. */
        FAILED,
        /** Stopped on request (may-i-run, SIGUSR1, shutdown); no status was sent. */
        STOPPED
    }

    public TaskOutcome {
        Objects.requireNonNull(kind, "kind");
        activity = Objects.requireNonNullElse(activity, "");
        Objects.requireNonNull(execution, "execution");
    }
}
