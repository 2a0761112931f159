package org.flamenco.worker.agent;

import org.flamenco.worker.model.Task;

/**
 * Runs one task to its end (the seam to the task runner and its child processes). The daemon adapts the
 * {@code task.TaskRunner} to it; worker tests use a fake.
 *
 * <p>Contract: {@link #execute} blocks the calling thread until the task ended; {@link #stop} may be called from any
 * thread at any time and makes a running {@code execute} return soon with {@link TaskResult.Outcome#STOPPED}
 * (it is a no-op when nothing runs).
 */
public interface TaskExecutor {
    /** Why a task is stopped; decides what the Manager sees (worker-behaviour.md §8.2). */
    enum StopKind {
        /** May-i-run "no" or SIGUSR1: silently aborting, log-only updates, the task will be returned. */
        RETURN,
        /** Clean shutdown: no status, logs flushed, the Manager re-queues at sign-off. */
        SHUTDOWN,
        /** Second signal: like SHUTDOWN but the process tree is killed at once, without grace. */
        FORCED
    }

    TaskResult execute(Task task) throws InterruptedException;

    void stop(StopKind kind);
}
