package org.flamenco.worker.task;

import org.flamenco.worker.command.StopMode;

/**
 * Why the worker stops a running task (worker-behaviour.md §8.2); decides how its process tree is stopped and what
 * the Manager sees. The one stop-reason type: the worker loop and the daemon name the reason, the runner maps it.
 */
public enum StopReason {
    /** May-i-run "no" or SIGUSR1: graceful, and silently aborting (log-only updates); the task will be returned. */
    RETURN(StopMode.GRACEFUL, true),
    /** Clean shutdown: graceful, no status, logs flushed; the Manager re-queues the task at sign-off. */
    SHUTDOWN(StopMode.GRACEFUL, false),
    /** A second signal: like {@link #SHUTDOWN}, but the process tree is killed at once, without grace. */
    FORCED(StopMode.IMMEDIATE, false);

    private final StopMode mode;
    private final boolean silently;

    StopReason(StopMode mode, boolean silently) {
        this.mode = mode;
        this.silently = silently;
    }

    StopMode mode() {
        return mode;
    }

    boolean silently() {
        return silently;
    }
}
