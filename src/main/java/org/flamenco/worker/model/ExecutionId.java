package org.flamenco.worker.model;

import java.util.Objects;

/** One run of one task on this worker (worker-behaviour.md §8.1): everything captured is bound to it. */
public record ExecutionId(String taskId, String executionId) {
    public ExecutionId {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(executionId, "executionId");
    }
}
