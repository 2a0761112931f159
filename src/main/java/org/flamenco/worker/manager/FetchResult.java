package org.flamenco.worker.manager;

import java.util.Objects;

import org.flamenco.worker.model.Task;
import org.flamenco.worker.model.WorkerStatus;

/** What asking for a task answered (protocol-v2.md §3.3; protocol-v3.md §2, §5). */
public sealed interface FetchResult {
    /** A usable task (v2 200, v3 200). */
    record Assigned(Task task) implements FetchResult {
        public Assigned {
            Objects.requireNonNull(task, "task");
        }
    }

    /** No task for now (204). */
    record NoTask() implements FetchResult {
    }

    /** The Manager requests a status change (423). */
    record StatusChangeRequested(WorkerStatus status) implements FetchResult {
        public StatusChangeRequested {
            Objects.requireNonNull(status, "status");
        }
    }

    /**
     * The Manager does not consider this worker awake and has no status change pending (v3 409, e.g. after it timed
     * the worker out and set it to {@code error}); the worker re-announces {@code awake} and asks again after a
     * backoff. v2 never answers this.
     */
    record NotAwake() implements FetchResult {
    }
}
