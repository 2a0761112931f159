package org.flamenco.worker.agent;

import java.util.Objects;

import org.flamenco.worker.model.ExecutionId;

/** How a task execution ended, and which execution it was (so late log lines stay bound to it). */
public record TaskResult(ExecutionId execution, Outcome outcome, String activity) {
    public enum Outcome {
        COMPLETED,
        FAILED,
        /** Stopped by the worker (may-i-run, SIGUSR1, shutdown); no status was sent. */
        STOPPED
    }

    public TaskResult {
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(outcome, "outcome");
        activity = Objects.requireNonNullElse(activity, "");
    }
}
