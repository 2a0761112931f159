package org.flamenco.worker.embedded;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of one task as the {@link EmbeddedManager} stores it.
 *
 * @param workerId        the worker it is assigned to, or {@code ""}
 * @param log             the task log as the Manager wrote it: every accepted {@code log} plus a newline, and the
 *                        Manager's own lines (re-queue notes)
 * @param updates         every accepted update's JSON body as parsed, in arrival order (before the Manager dropped
 *                        {@code task_status}/{@code activity} of a non-active task)
 * @param failedByWorkers ids of workers that reported {@code failed} for it
 */
public record TaskView(String id, String jobId, String name, String taskType, String status, String activity,
                       String workerId, int currentCommandIdx, int taskProgressPercentage,
                       int commandProgressPercentage, Map<String, Double> timing, String log,
                       List<Map<String, Object>> updates, List<String> failedByWorkers, List<String> parentIds,
                       List<Map<String, Object>> commands) implements TaskSnapshot {
    public TaskView {
        Objects.requireNonNull(id, "id");
        timing = Map.copyOf(timing);
        updates = List.copyOf(updates);
        failedByWorkers = List.copyOf(failedByWorkers);
        parentIds = List.copyOf(parentIds);
        commands = List.copyOf(commands);
    }
}
