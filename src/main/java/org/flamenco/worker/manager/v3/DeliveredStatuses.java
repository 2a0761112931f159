package org.flamenco.worker.manager.v3;

import java.util.LinkedHashMap;
import java.util.Map;

import org.flamenco.worker.model.TaskStatus;

/**
 * The last {@code taskStatus} the Manager accepted per task, for the few most recent tasks. The worker's queued
 * updates each carry the full snapshot (status included, as v2 requires); v3 needs the status only when it changes.
 * Forgotten when the task is handed out again, so a re-run announces {@code active} afresh. Thread-safe.
 */
final class DeliveredStatuses {
    private static final int KEEP = 16;

    private final Map<String, TaskStatus> statuses = new LinkedHashMap<>(KEEP * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TaskStatus> eldest) {
            return size() > KEEP;
        }
    };

    synchronized boolean contains(String taskId, TaskStatus status) {
        return statuses.get(taskId) == status;
    }

    synchronized void put(String taskId, TaskStatus status) {
        statuses.put(taskId, status);
    }

    synchronized void forget(String taskId) {
        statuses.remove(taskId);
    }
}
