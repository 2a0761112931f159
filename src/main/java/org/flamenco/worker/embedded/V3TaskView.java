package org.flamenco.worker.embedded;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of one task as the {@link EmbeddedV3Manager} stores it.
 *
 * @param workerId       the worker it is assigned to, or {@code ""}; a re-queued task keeps its worker until
 *                       another one takes it (protocol-v3.md §11)
 * @param stepsCompleted the last {@code steps_completed} accepted, clamped to {@code stepsTotal}
 * @param log            every accepted {@code log}, each ending in a newline (the Manager adds a missing one)
 * @param updates        every accepted update's JSON body as parsed, in arrival order
 * @param failedByWorkers ids of workers that reported {@code failed} for it
 */
public record V3TaskView(String id, String jobId, String name, String taskType, String status, String activity,
                         String workerId, int stepsCompleted, int stepsTotal, String log,
                         List<Map<String, Object>> updates, List<String> failedByWorkers,
                         List<Map<String, Object>> commands) implements TaskSnapshot {
    public V3TaskView {
        Objects.requireNonNull(id, "id");
        updates = List.copyOf(updates);
        failedByWorkers = List.copyOf(failedByWorkers);
        commands = List.copyOf(commands);
    }
}
