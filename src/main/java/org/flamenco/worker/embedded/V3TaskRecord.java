package org.flamenco.worker.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Mutable task row of the {@link V3Store}; guarded by the state's lock. */
final class V3TaskRecord {
    final String id;
    final String jobId;
    final String name;
    final String taskType;
    final List<Map<String, Object>> commands;
    final List<String> parentIds;
    final int stepsTotal;
    String status = "queued";
    String activity = "";
    String workerId = "";
    int stepsCompleted;
    private final List<String> logEntries = new ArrayList<>();
    final List<Map<String, Object>> updates = new ArrayList<>();
    final List<String> failedByWorkers = new ArrayList<>();

    V3TaskRecord(String id, String jobId, V3TaskSpec spec, List<String> parentIds) {
        this.id = id;
        this.jobId = jobId;
        this.name = spec.name();
        this.taskType = spec.taskType();
        this.commands = spec.commands();
        this.parentIds = List.copyOf(parentIds);
        this.stepsTotal = spec.stepsTotal();
    }

    boolean isActive() {
        return "active".equals(status);
    }

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

    V3TaskView view() {
        return new V3TaskView(id, jobId, name, taskType, status, activity, workerId, stepsCompleted, stepsTotal,
                String.join("", logEntries), updates, failedByWorkers, commands);
    }
}
