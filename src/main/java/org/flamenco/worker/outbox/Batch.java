package org.flamenco.worker.outbox;

import org.flamenco.worker.model.TaskUpdate;

/**
 * The queue's head group: consecutive sendable elements of one execution that go out as one request
 * (worker-behaviour.md §12.3).
 *
 * @param update         the request, or {@code null} when the group has nothing to send (only delete it)
 * @param elements       number of queued elements in the group
 * @param logBytes       UTF-8 bytes of the group's log lines
 * @param latestSnapshot stored payload of the group's newest activity element, or {@code null}
 * @param undecodable    why the head element cannot be decoded (then the group is that element alone), or
 *                       {@code null}
 */
record Batch(String taskId, String executionId, boolean silent, long firstSeq, long lastSeq, TaskUpdate update,
             int elements, long logBytes, String latestSnapshot, String undecodable) {
}
