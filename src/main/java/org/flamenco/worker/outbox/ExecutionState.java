package org.flamenco.worker.outbox;

import org.flamenco.worker.model.ActivitySnapshot;

/** What the outbox knows about one execution in this run. Not thread-safe: guarded by the outbox lock. */
final class ExecutionState {
    final String taskId;
    final String executionId;
    ActivitySnapshot snapshot = ActivitySnapshot.initial();
    boolean silent;
    boolean ended;
    /** First and last sequence number of captured, not yet released elements ({@code -1}: none). */
    long firstUnreleasedSeq = -1;
    long lastSeq = -1;
    int unreleased;
    int unreleasedLogLines;
    /** Log lines captured in this run (their position lays burst chunks on a grid, see {@link LogChunk.Limits}). */
    long capturedLogLines;
    /** UTF-8 bytes of this execution's log text still in the queue (worker-behaviour.md §13.8). */
    final LogBacklog.Entry backlog;
    /** Non-null while the log is in overflow. */
    LogOverflow overflow;

    ExecutionState(String taskId, String executionId, LogBacklog.Entry backlog) {
        this.taskId = taskId;
        this.executionId = executionId;
        this.backlog = backlog;
    }
}
