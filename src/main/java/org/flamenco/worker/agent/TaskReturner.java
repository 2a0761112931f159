package org.flamenco.worker.agent;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

import org.flamenco.worker.clock.Backoff;
import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.manager.CredentialsGuard;
import org.flamenco.worker.manager.ManagerApi;
import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.model.ExecutionId;
import org.flamenco.worker.outbox.Outbox;
import org.flamenco.worker.outbox.OutboxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens after a task was stopped (protocol-v2.md §3.5, §3.6 steps 4–5; worker-behaviour.md §16 step 2):
 * the task-log line, delivery of the task's queued rows, and {@code POST /tasks/{id}/return} with its result line.
 * Every line is captured for the stopped execution, so it can never be posted under another task's URL.
 */
public final class TaskReturner {
    private static final Logger LOG = LoggerFactory.getLogger(TaskReturner.class);
    private static final int MAX_ATTEMPTS = 3;

    private final ManagerApi manager;
    private final Outbox outbox;
    private final CredentialsGuard guard;
    private final WorkerIdentity identity;
    private final Clock clock;
    private final DoubleSupplier random;
    private final WorkerTiming timing;

    public TaskReturner(ManagerApi manager, Outbox outbox, CredentialsGuard guard, WorkerIdentity identity, Clock clock,
                 DoubleSupplier random, WorkerTiming timing) {
        this.manager = Objects.requireNonNull(manager, "manager");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.timing = Objects.requireNonNull(timing, "timing");
    }

    /** The task-log line of a task stopped because the Manager said no (may-i-run). */
    String revokedLine() {
        return "Worker " + identity.label() + " stopped running this task, no longer allowed to run by Manager";
    }

    /** The task-log line of a task stopped by SIGUSR1. */
    String sleepLine() {
        return "Worker " + identity.label() + " stopped running this task because it was told to go to sleep "
                + "(SIGUSR1)";
    }

    /** §16 step 2: the task was stopped by the clean shutdown. */
    void logShutdownStop(ExecutionId execution) {
        capture(execution, "Worker " + identity.label() + " stopped running this task because the worker is "
                + "shutting down; the Manager will re-queue it");
    }

    /** Registers {@code stopLine}, delivers the task's rows (bounded), then returns the task to the Manager. */
    void returnTask(ExecutionId execution, String stopLine) throws InterruptedException {
        String taskId = execution.taskId();
        capture(execution, stopLine);
        if (!outbox.awaitTaskDelivered(taskId, timing.returnDeliveryWait())) {
            LOG.warn("Updates of task {} not yet delivered; returning it anyway", taskId);
        }
        if (!manager.canReturnTasks()) {
            return; // v3: the Manager re-queues it when the worker leaves awake or signs off
        }
        String couldNot = "Worker " + identity.label() + " could not return this task to the Manager queue";
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                manager.returnTask(taskId);
                LOG.info("Returned task {} to the Manager", taskId);
                capture(execution, "Worker " + identity.label() + " returned this task to the Manager queue.");
                return;
            } catch (ManagerException e) {
                if (e.isAuthFailure()) {
                    guard.onUnauthorized(Duration.ZERO);
                    break;
                }
                if (!e.outcome().retryable() || attempt == MAX_ATTEMPTS) {
                    LOG.warn("Could not return task {} to the Manager: {}", taskId, e.getMessage());
                    break;
                }
                clock.sleep(Backoff.atLeast(Backoff.TASK_RETURN.delay(attempt, random), e.retryAfter()));
            }
        }
        capture(execution, couldNot);
    }

    private void capture(ExecutionId execution, String line) {
        try {
            outbox.captureLog(execution, line);
            outbox.endExecution(execution);
        } catch (OutboxException e) {
            LOG.error("Could not queue task-log line for task {}: {}", execution.taskId(), e.getMessage());
        }
    }
}
