package org.flamenco.worker.outbox;

import java.util.Objects;

import org.flamenco.worker.model.TaskUpdate;

/**
 * The queue's head group: consecutive sendable elements of one execution that go out as one request
 * (worker-behaviour.md §12.3). Made by {@link #of} (a group to send, or only to delete) or {@link #undecodable}.
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

    /** Where a group lies in the queue: its execution and its first and last sequence number. */
    record Span(String taskId, String executionId, boolean silent, long firstSeq, long lastSeq) {
        Span {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(executionId, "executionId");
        }
    }

    /**
     * A group to deliver.
     *
     * @param update         the request, or {@code null} when there is nothing to send (only delete the group)
     * @param latestSnapshot the stored payload of its newest activity element, or {@code null} when it has none
     */
    static Batch of(Span span, TaskUpdate update, int elements, long logBytes, String latestSnapshot) {
        return new Batch(span.taskId(), span.executionId(), span.silent(), span.firstSeq(), span.lastSeq(), update,
                elements, logBytes, latestSnapshot, null);
    }

    /** One element that cannot be decoded from the file ({@code why}); it goes to the dead letters on its own. */
    static Batch undecodable(Span span, int elements, String why) {
        Objects.requireNonNull(why, "why");
        return new Batch(span.taskId(), span.executionId(), span.silent(), span.firstSeq(), span.lastSeq(), null,
                elements, 0, null, why);
    }
}
