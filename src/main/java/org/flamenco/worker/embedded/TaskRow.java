package org.flamenco.worker.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a task row of either embedded Manager holds (a v2 {@link TaskRecord}, a v3 {@link V3TaskRecord}): identity,
 * commands, parents, the status and assignment the hand-out rules of {@link JobStore} read, and everything received.
 * Mutable; guarded by the {@link ManagerState} lock.
 *
 * @param <V> the public snapshot type of the row
 */
abstract class TaskRow<V> {
    final String id;
    final String jobId;
    final String name;
    final String taskType;
    final List<Map<String, Object>> commands;
    final List<String> parentIds;
    String status = "queued";
    String activity = "";
    String workerId = "";
    final List<Map<String, Object>> updates = new ArrayList<>();
    final List<String> failedByWorkers = new ArrayList<>();

    TaskRow(String id, String jobId, String name, String taskType, List<Map<String, Object>> commands,
            List<String> parentIds) {
        this.id = id;
        this.jobId = jobId;
        this.name = name;
        this.taskType = taskType;
        this.commands = List.copyOf(commands);
        this.parentIds = List.copyOf(parentIds);
    }

    final boolean isActive() {
        return "active".equals(status);
    }

    /** Whether the task may be handed out (its parents and job allowing). */
    abstract boolean isRunnable();

    /** A snapshot, safe to hand out of the lock. */
    abstract V view();

    /**
     * Puts the fields of a handed-out task that both protocols spell alike, in the place they have in both
     * documents: after the ids, before the protocol's own fields.
     */
    final void putAssignedFields(Map<String, Object> doc) {
        doc.put("name", name);
        doc.put("status", status);
        doc.put("priority", 50);
        doc.put("job_priority", 50);
        doc.put("job_type", "embedded");
        doc.put("task_type", taskType);
        doc.put("commands", commands);
    }

    /** A task log split into lines (no trailing empty line): what the views' {@code logLines()} return. */
    static List<String> lines(String log) {
        if (log.isEmpty()) {
            return List.of();
        }
        String trimmed = log.endsWith("\n") ? log.substring(0, log.length() - 1) : log;
        return List.of(trimmed.split("\n", -1));
    }
}
