package org.flamenco.worker.manager;

import java.util.Objects;

import org.flamenco.worker.model.Task;

/** What {@code POST /task} answered (protocol-v2.md §3.3). */
public sealed interface FetchResult {
    /** 200 with a usable task. */
    record Assigned(Task task) implements FetchResult {
        public Assigned {
            Objects.requireNonNull(task, "task");
        }
    }

    /** 204: no task for now. */
    record NoTask() implements FetchResult {
    }

    /** 423: the Manager requests a status change (any string; the worker copes with unknown ones). */
    record StatusChangeRequested(String status) implements FetchResult {
        public StatusChangeRequested {
            Objects.requireNonNull(status, "status");
        }
    }
}
