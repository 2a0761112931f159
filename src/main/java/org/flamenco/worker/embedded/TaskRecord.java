package org.flamenco.worker.embedded;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Mutable task row of the {@link V2Store}; guarded by the state's lock. */
final class TaskRecord extends TaskRow<TaskView> {
    int currentCommandIdx;
    int taskProgressPercentage;
    int commandProgressPercentage;
    final Map<String, Double> timing = new LinkedHashMap<>();
    /** The log's entries, each written with a newline after it; kept apart so appending never copies the log. */
    private final List<String> logEntries = new ArrayList<>();

    TaskRecord(String id, String jobId, String name, String taskType, List<Map<String, Object>> commands,
               List<String> parentIds) {
        super(id, jobId, name, taskType, commands, parentIds);
    }

    @Override
    boolean isRunnable() {
        return "queued".equals(status) || "claimed-by-manager".equals(status) || "soft-failed".equals(status);
    }

    /** Un-assigns an active task the way the Manager re-queues it (protocol-v2.md §3.5, §3.9). */
    void requeue(String workerIdent, String why) {
        status = "claimed-by-manager";
        workerId = "";
        activity = "Re-queued task after unassigning from worker " + workerIdent + ": " + why;
        appendLog(activity);
    }

    /** Writes {@code text} and a newline to the task log. */
    void appendLog(String text) {
        logEntries.add(text);
    }

    private String log() {
        int length = 0;
        for (String e : logEntries) {
            length += e.length() + 1;
        }
        StringBuilder sb = new StringBuilder(length);
        for (String e : logEntries) {
            sb.append(e).append('\n');
        }
        return sb.toString();
    }

    @Override
    TaskView view() {
        return new TaskView(id, jobId, name, taskType, status, activity, workerId, currentCommandIdx,
                taskProgressPercentage, commandProgressPercentage, timing, log(), updates,
                failedByWorkers, parentIds, commands);
    }
}
