package org.flamenco.worker.agent;

/**
 * Command-line and configuration modes that change the loop (worker-behaviour.md §11, §17).
 *
 * @param singleTask             {@code --single}: shut down after the first task
 * @param testMode               {@code --test}: ack {@code testing} at startup
 * @param quarantineFastFailures {@code quarantine_fast_failures}: after this many tasks in a row failed within 30 s,
 *                               go to the error state; 0 disables
 */
public record WorkerMode(boolean singleTask, boolean testMode, int quarantineFastFailures) {
    public WorkerMode {
        if (quarantineFastFailures < 0) {
            throw new IllegalArgumentException("quarantineFastFailures must be >= 0");
        }
    }
}
