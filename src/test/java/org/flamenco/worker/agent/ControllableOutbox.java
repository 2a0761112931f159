package org.flamenco.worker.agent;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.flamenco.worker.model.ActivitySnapshot;
import org.flamenco.worker.model.ExecutionId;
import org.flamenco.worker.outbox.Outbox;
import org.flamenco.worker.outbox.QueueState;

/** An in-memory outbox whose back-pressure state the test sets, recording captured log lines. */
final class ControllableOutbox implements Outbox {
    final List<String> lines = new CopyOnWriteArrayList<>();
    volatile QueueState state = new QueueState(0, 0, false, Duration.ZERO);
    /** Task ids whose execution was marked silently aborting (a stop that returns the task). */
    final List<String> silentlyAborting = new CopyOnWriteArrayList<>();
    /** Runs once, at the next {@link #endExecution} (the moment the runner is idle again). */
    final java.util.concurrent.atomic.AtomicReference<Runnable> onNextEnd =
            new java.util.concurrent.atomic.AtomicReference<>();

    @Override
    public ExecutionId beginExecution(String taskId) {
        return new ExecutionId(taskId, UUID.randomUUID().toString());
    }

    @Override
    public void captureLog(ExecutionId execution, String line) {
        lines.add(execution.taskId() + ": " + line);
    }

    @Override
    public void captureActivity(ExecutionId execution, ActivitySnapshot snapshot) {
    }

    @Override
    public void markSilentlyAborting(ExecutionId execution) {
        silentlyAborting.add(execution.taskId());
    }

    @Override
    public void endExecution(ExecutionId execution) {
        Runnable hook = onNextEnd.getAndSet(null);
        if (hook != null) {
            hook.run();
        }
    }

    @Override
    public void releaseAll() {
    }

    @Override
    public QueueState state() {
        return state;
    }

    @Override
    public boolean awaitTaskDelivered(String taskId, Duration timeout) {
        return true;
    }

    @Override
    public boolean awaitAllDelivered(Duration timeout) {
        return true;
    }

    @Override
    public void close() {
    }
}
