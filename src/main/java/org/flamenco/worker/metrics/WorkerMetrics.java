package org.flamenco.worker.metrics;

import java.time.Duration;

/**
 * What the worker reports about itself for monitoring: the {@code /metrics} and {@code /healthz} endpoints and the
 * systemd status line read it (issue 23).
 *
 * <p>Contract: every method is thread-safe, never blocks, never does I/O and never throws; each is a few atomic
 * updates, cheap enough for the hot paths that call it (the sender loop, the fetch loop, command ends). Labels are
 * low-cardinality names chosen by the caller (an endpoint template, a command's wire name, an outcome), never ids.
 * {@link #NONE} ignores everything and is the default of every component that takes a {@code WorkerMetrics}.
 */
public interface WorkerMetrics {
    /** Ignores everything. */
    WorkerMetrics NONE = new WorkerMetrics() {
    };

    /** The worker loop entered {@code state} (one of {@link WorkerState}). */
    default void workerState(WorkerState state) {
    }

    /** The fetch loop is alive: it completed an iteration or woke from a wait. */
    default void loopHeartbeat() {
    }

    /**
     * The fetch loop is alive and waits until {@code untilNanos} ({@code Clock.nanoTime()}): it counts as alive until
     * then without waking to say so, and as stalled from then on until its next beat.
     */
    default void loopWaitsUntil(long untilNanos) {
    }

    /** A task started running. */
    default void taskStarted(String taskId) {
    }

    /** The running task's progress, 0–100. */
    default void taskProgress(int percent) {
    }

    /** The running task ended with {@code outcome} ({@code completed}, {@code failed}, {@code stopped}). */
    default void taskFinished(String outcome) {
    }

    /** A command of the running task ended with {@code outcome} ({@code ok}, {@code failed}, {@code stopped}). */
    default void commandFinished(String command, String outcome) {
    }

    /** The running task's process tree: CPU seconds used so far and resident memory now. */
    default void recordTaskTree(double cpuSeconds, long rssBytes) {
    }

    /** A fresh look at the update queue (elements, payload bytes, age of the oldest element, zero when empty). */
    default void queueSampled(long elements, long bytes, Duration oldestAge) {
    }

    /** The sender handed {@code elements} queued updates to the Manager. */
    default void updatesDelivered(long elements) {
    }

    /** The sender moved {@code elements} updates to the dead letters. */
    default void deadLettered(long elements) {
    }

    /** The sender failed to deliver and now waits {@code backoff} before retrying (zero: not backing off). */
    default void senderBackoff(Duration backoff) {
    }

    /**
     * A request to the Manager ended.
     *
     * @param endpoint a template such as {@code POST /tasks/{id}/update}
     * @param status   the HTTP status, or 0 when no answer came (network error, timeout)
     */
    default void managerRequest(String endpoint, int status, long nanos) {
    }

    /** The worker registered again (its credentials were refused). */
    default void reRegistered() {
    }

    /** The worker entered ({@code true}) or left quarantine (too many fast failures). */
    default void quarantined(boolean inQuarantine) {
    }
}
