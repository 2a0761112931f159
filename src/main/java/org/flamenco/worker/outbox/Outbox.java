package org.flamenco.worker.outbox;

import java.time.Duration;
import java.util.List;

import org.flamenco.worker.model.ActivitySnapshot;
import org.flamenco.worker.model.ExecutionId;

/**
 * The durable task-update queue as producers see it (worker-behaviour.md §12–§13): capture now, release by the push
 * rules, deliver later from the sender thread.
 *
 * <p>Contract: thread-safe. Capture methods never touch the network. A capture that changes the task status returns
 * once it, and everything captured before it, is committed and synced to disk; other captures may return once
 * queued for a group commit that follows within milliseconds (well inside the 100 ms of worker-behaviour.md §12.1),
 * and block while too much is uncommitted. They throw {@link OutboxException} only when the database itself fails.
 * Everything captured is bound to its {@link ExecutionId}; the URL of its update is derived from that binding, never
 * from "the current task".
 */
public interface Outbox extends AutoCloseable {
    /** Starts a new execution of {@code taskId} with a fresh activity snapshot. */
    ExecutionId beginExecution(String taskId) throws OutboxException;

    /**
     * Captures one task-log line. The UTC timestamp prefix ({@code 2020-03-12T10:00:00.123456+00:00: }) is added
     * here, at capture time. The line must already be split to at most 64 KiB (plus a command's short prefix such
     * as {@code pid=<pid> > }, under 1 KiB) and be valid text.
     */
    void captureLog(ExecutionId execution, String line) throws OutboxException;

    /**
     * Captures several task-log lines in order, as {@link #captureLog} does each, possibly with one capture time for
     * all (a burst of output read at once). The list is only read during the call (the caller may reuse it).
     */
    default void captureLogs(ExecutionId execution, List<String> lines) throws OutboxException {
        for (String line : lines) {
            captureLog(execution, line);
        }
    }

    /**
     * Captures the full activity snapshot. A snapshot whose task status differs from the previous one is released
     * at once and synced before this returns; other changes follow the activity throttle.
     */
    void captureActivity(ExecutionId execution, ActivitySnapshot snapshot) throws OutboxException;

    /** From now on this execution sends log-only updates (protocol-v2.md §3.6 step 2). */
    void markSilentlyAborting(ExecutionId execution) throws OutboxException;

    /** The execution ended (any outcome): release everything it captured; its timers do nothing afterwards. */
    void endExecution(ExecutionId execution) throws OutboxException;

    /** Releases everything captured, for every execution (task stop, clean shutdown). */
    void releaseAll() throws OutboxException;

    /** Current depth and back-pressure facts (worker-behaviour.md §13.6, §13.10). */
    QueueState state();

    /**
     * Waits until every sendable element of {@code taskId} has left the queue (delivered, dropped or dead-lettered),
     * or the timeout passes.
     *
     * @return true when nothing of that task is left to send
     */
    boolean awaitTaskDelivered(String taskId, Duration timeout) throws InterruptedException;

    /** Waits until the whole queue is empty, or the timeout passes; returns true when empty. */
    boolean awaitAllDelivered(Duration timeout) throws InterruptedException;

    /** Closes the database; what is not delivered stays for the next start. */
    @Override
    void close();
}
