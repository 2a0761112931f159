package org.flamenco.worker.daemon;

import java.time.Duration;
import java.util.Objects;

import org.flamenco.worker.command.StopMode;
import org.flamenco.worker.model.Task;
import org.flamenco.worker.task.TaskOutcome;
import org.flamenco.worker.task.TaskRunner;
import org.flamenco.worker.agent.TaskExecutor;
import org.flamenco.worker.agent.TaskResult;

/** Adapts the {@link TaskRunner} to the worker loop's {@link TaskExecutor} seam. */
final class RunnerExecutor implements TaskExecutor {
    private static final Duration FORCED_KILL_WAIT = Duration.ofMillis(1500);

    private final TaskRunner runner;

    RunnerExecutor(TaskRunner runner) {
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    @Override
    public TaskResult execute(Task task) {
        TaskOutcome outcome = runner.run(task);
        TaskResult.Outcome kind = switch (outcome.kind()) {
            case COMPLETED -> TaskResult.Outcome.COMPLETED;
            case FAILED -> TaskResult.Outcome.FAILED;
            case STOPPED -> TaskResult.Outcome.STOPPED;
        };
        return new TaskResult(outcome.execution(), kind, outcome.activity());
    }

    @Override
    public void stop(StopKind kind) {
        switch (kind) {
            case RETURN -> runner.stop(StopMode.GRACEFUL, true, null);
            case SHUTDOWN -> runner.stop(StopMode.GRACEFUL, false, null);
            case FORCED -> runner.stop(StopMode.IMMEDIATE, false, null);
            default -> throw new IllegalArgumentException("unknown stop kind " + kind);
        }
    }

    /** Second signal: SIGKILL the task's process group now and wait (bounded) until it is gone. */
    void killNow() {
        runner.stop(StopMode.IMMEDIATE, false, null);
        try {
            runner.awaitIdle(FORCED_KILL_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
