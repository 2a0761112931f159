package org.flamenco.worker.process;

/**
 * Starts child processes in their own session and process group so the whole tree can be signalled
 * (commands.md §2). PLACEHOLDER: the process issue defines the full contract (start, line reading, stop with
 * TERM → grace → KILL and verification, inactivity timeout, PID file).
 */
public interface ProcessLauncher {
}
