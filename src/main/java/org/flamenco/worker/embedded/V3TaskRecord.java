package org.flamenco.worker.embedded;

import java.util.ArrayList;
import java.util.List;

/** Mutable task row of the {@link V3Store}; guarded by the state's lock. */
final class V3TaskRecord extends TaskRow<V3TaskView> {
    final int stepsTotal;
    int stepsCompleted;
    private final List<String> logEntries = new ArrayList<>();

    V3TaskRecord(String id, String jobId, V3TaskSpec spec, List<String> parentIds) {
        super(id, jobId, spec.name(), spec.taskType(), spec.commands(), parentIds);
        this.stepsTotal = spec.stepsTotal();
    }

    @Override
    boolean isRunnable() {
        return "queued".equals(status) || "soft-failed".equals(status);
    }

    /** Back to {@code queued}, keeping its worker until another takes it (as the Manager does). */
    void requeue(String why) {
        status = "queued";
        activity = "Task was requeued: " + why;
    }

    /** Appends log text; the Manager adds a missing final newline. */
    void appendLog(String text) {
        logEntries.add(text.endsWith("\n") ? text : text + "\n");
    }

    @Override
    V3TaskView view() {
        return new V3TaskView(id, jobId, name, taskType, status, activity, workerId, stepsCompleted, stepsTotal,
                String.join("", logEntries), updates, failedByWorkers, commands);
    }
}
