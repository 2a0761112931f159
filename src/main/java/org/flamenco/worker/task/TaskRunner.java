package org.flamenco.worker.task;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.CommandRegistry;
import org.flamenco.worker.command.StopMode;
import org.flamenco.worker.metrics.WorkerMetrics;
import org.flamenco.worker.model.ExecutionId;
import org.flamenco.worker.model.Task;
import org.flamenco.worker.model.TaskStatus;
import org.flamenco.worker.outbox.Outbox;
import org.flamenco.worker.outbox.OutboxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one task's commands in order on the calling thread (worker-behaviour.md §8), turning what they report into
 * outbox captures bound to the task's execution. {@link #stop} may be called from any other thread: it stops the
 * running command's process tree, and {@link #run} then returns {@link TaskOutcome.Kind#STOPPED} without sending a
 * status.
 *
 * <p>Stopping works by interrupting the task thread: a command blocked in a subprocess, a sleep or a wait sees the
 * interrupt, its subprocess tree is stopped with the requested {@link StopMode}, and the stop propagates. While a
 * task runs, the MDC carries {@code task_id} and (during a command) {@code command}.
 */
public final class TaskRunner {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
    static final String MDC_TASK = "task_id";
    static final String MDC_COMMAND = "command";

    private final TaskCommandsCheck commandsCheck;
    private final Outbox outbox;
    private final Clock clock;
    private final OutputListener outputProduced;
    private final CommandEnvironment environment;
    private final WorkerMetrics metrics;
    private final TaskDialect dialect;
    private final Object lock = new Object();
    private Running current; // guarded by lock

    /**
     * @param outputProduced receives files commands produced (for {@code /output-produced}); must not block
     * @param environment    working directory, subprocess launcher, kill grace, inactivity timeout, PID file
     */
    public TaskRunner(CommandRegistry registry, Outbox outbox, Clock clock,
                      OutputListener outputProduced, CommandEnvironment environment) {
        this(registry, outbox, clock, outputProduced, environment, WorkerMetrics.NONE);
    }

    /** As the other constructor; {@code metrics} is told each command's end and the task's progress. */
    public TaskRunner(CommandRegistry registry, Outbox outbox, Clock clock,
                      OutputListener outputProduced, CommandEnvironment environment, WorkerMetrics metrics) {
        this(registry, outbox, clock, outputProduced, environment, metrics, TaskDialect.V2);
    }

    /**
     * As the other constructors, for tasks of the given {@code dialect}: {@link TaskDialect#V3} for a Flamenco 3
     * Manager (its command registry then holds the v3 commands, commands.md §7).
     */
    public TaskRunner(CommandRegistry registry, Outbox outbox, Clock clock, OutputListener outputProduced,
                      CommandEnvironment environment, WorkerMetrics metrics, TaskDialect dialect) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.commandsCheck = new TaskCommandsCheck(Objects.requireNonNull(registry, "registry"));
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.outputProduced = Objects.requireNonNull(outputProduced, "outputProduced");
        this.environment = Objects.requireNonNull(environment, "environment");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** The execution running now, if any (its task id names the task). */
    public Optional<ExecutionId> runningExecution() {
        synchronized (lock) {
            return current == null ? Optional.empty() : Optional.of(current.execution);
        }
    }

    /** The id of the task running now, if any. */
    public Optional<String> runningTaskId() {
        synchronized (lock) {
            return current == null ? Optional.empty() : Optional.of(current.taskId);
        }
    }

    /**
     * The worker stops the running task, whichever it is, for {@code reason}; returns at once. False when no task was
     * running (it ended meanwhile: its outcome stands).
     */
    public boolean stop(StopReason reason) {
        return stop(null, reason.mode(), reason.silently(), null);
    }

    /**
     * A second shutdown signal: kills the running task's process tree now (no grace) and waits at most {@code wait}
     * until the task has ended (an interrupt ends the wait early and stays set).
     */
    public void stopNow(Duration wait) {
        stop(StopReason.FORCED);
        try {
            awaitIdle(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the running task, whichever it is. See {@link #stop(String, StopMode, boolean, String)}.
     */
    public boolean stop(StopMode mode, boolean silently, String taskLogLine) {
        return stop(null, mode, silently, taskLogLine);
    }

    /**
     * Asks the running task to stop; returns at once ({@link #awaitIdle} waits for the end). Calling it again with
     * {@link StopMode#IMMEDIATE} during a graceful stop skips the rest of the kill grace.
     *
     * @param taskId      stop only if this task runs (null: any task)
     * @param silently    true for a may-i-run or SIGUSR1 stop: from now on the execution sends log-only updates
     * @param taskLogLine captured for the task after its command has stopped (null or empty: none)
     * @return false when no (such) task was running
     */
    public boolean stop(String taskId, StopMode mode, boolean silently, String taskLogLine) {
        Objects.requireNonNull(mode, "mode");
        Running running;
        synchronized (lock) {
            running = current;
            if (running == null || (taskId != null && !taskId.equals(running.taskId))) {
                return false;
            }
            running.request(mode, silently, taskLogLine);
        }
        if (silently) {
            try {
                outbox.markSilentlyAborting(running.execution);
            } catch (OutboxException e) {
                LOG.error("Cannot mark task {} as silently aborting: {}", running.taskId, e.getMessage());
            }
        }
        synchronized (lock) {
            if (current == running) {
                running.thread.interrupt();
            }
        }
        return true;
    }

    /** Waits until no task runs; true when idle within the timeout. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = clock.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (current != null) {
                long left = deadline - clock.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /**
     * Runs {@code task} to its end on the calling thread (worker-behaviour.md §8.1). Never throws for a task or
     * command problem: every ending is an outcome, and the final status (if any) is captured before this returns.
     */
    public TaskOutcome run(Task task) {
        Objects.requireNonNull(task, "task");
        ExecutionId executionId;
        try {
            executionId = outbox.beginExecution(task.id());
        } catch (OutboxException e) {
            LOG.error("Cannot start an execution of task {}: {}", task.id(), e.getMessage(), e);
            return new TaskOutcome(TaskOutcome.Kind.FAILED, "Internal worker error: " + e.getClass().getSimpleName()
                    + ": " + e.getMessage(), new ExecutionId(task.id(), "none"));
        }
        Running running = new Running(task.id(), executionId, Thread.currentThread());
        synchronized (lock) {
            current = running;
        }
        MDC.put(MDC_TASK, task.id());
        try {
            return runExecution(task, running);
        } finally {
            MDC.remove(MDC_COMMAND);
            MDC.remove(MDC_TASK);
            synchronized (lock) {
                current = null;
                lock.notifyAll();
            }
            if (running.stopRequested()) {
                Thread.interrupted(); // the interrupt was ours; do not leak it to the caller
            }
            end(executionId);
        }
    }

    private TaskOutcome runExecution(Task task, Running running) {
        LOG.info("Received task {} ({}; job {}; type {})", task.id(), task.name(), task.job(), task.taskType());
        Execution execution = new Execution(running.execution, outbox, task.commands().listed(), metrics);
        try {
            execution.statusAndActivity(TaskStatus.ACTIVE, dialect.startActivity());
            List<TaskCommand> commands = commandsCheck.resolve(task);
            TaskOutcome outcome = new CommandSequence(execution, commands, environment, clock, outputProduced,
                    running::stopMode, running::stopRequested, metrics, dialect).run();
            return finish(execution, running, outcome);
        } catch (InvalidTaskException e) {
            String activity = "Invalid task: " + e.getMessage();
            LOG.warn("Task {} is invalid: {}", task.id(), e.getMessage());
            return failSafely(execution, activity);
        } catch (CaptureFailedException e) {
            return internalError(execution, task, e.outboxCause());
        } catch (RuntimeException e) {
            return internalError(execution, task, e);
        } finally {
            captureHeldOutput(execution);
        }
    }

    /** Output lines a command logged without a capture after them are captured before the execution ends. */
    private static void captureHeldOutput(Execution execution) {
        try {
            execution.flushOutput();
        } catch (CaptureFailedException e) {
            LOG.error("Cannot capture the last output lines of execution {}: {}", execution.id(), e.getMessage());
        }
    }

    private TaskOutcome finish(Execution execution, Running running, TaskOutcome outcome) {
        if (running.stopRequested()) {
            Thread.interrupted(); // the stop has done its work; keep the final captures free of it
        }
        Map<String, Double> aggregate = execution.aggregate();
        if (!aggregate.isEmpty()) {
            execution.log("Aggregated task timing info: " + TimingJson.render(aggregate));
        }
        if (running.stopRequested() || outcome.kind() == TaskOutcome.Kind.STOPPED) {
            running.stopLine().ifPresent(execution::log);
            LOG.info("Task {} stopped", running.taskId);
            return new TaskOutcome(TaskOutcome.Kind.STOPPED, execution.currentActivity(), execution.id());
        }
        if (outcome.kind() == TaskOutcome.Kind.COMPLETED) {
            execution.completed(dialect.completedActivity());
            LOG.info("Task {} completed", running.taskId);
        } else {
            failedInDialect(execution, outcome.activity());
            execution.status(TaskStatus.FAILED);
            LOG.info("Task {} failed: {}", running.taskId, outcome.activity());
        }
        return outcome;
    }

    private TaskOutcome internalError(Execution execution, Task task, Exception e) {
        LOG.error("Internal error while running task {}", task.id(), e);
        String activity = "Internal worker error: " + e.getClass().getSimpleName() + ": " + e.getMessage();
        return failSafely(execution, activity);
    }

    /** Flamenco 3 reports a failure as {@code Failed: <error>} in activity and log (protocol-v3.md §6). */
    private void failedInDialect(Execution execution, String error) {
        if (dialect == TaskDialect.V3) {
            execution.log("Failed: " + error);
            execution.activity("Failed: " + error);
        }
    }

    /** Captures a failure; a broken outbox is only logged (the status cannot be stored anyway). */
    private TaskOutcome failSafely(Execution execution, String activity) {
        try {
            if (dialect == TaskDialect.V3) {
                failedInDialect(execution, activity);
            } else {
                execution.log(activity);
                execution.activity(activity);
            }
            execution.status(TaskStatus.FAILED);
        } catch (CaptureFailedException e) {
            LOG.error("Cannot capture the failure of execution {}: {}", execution.id(), e.getMessage());
        }
        return new TaskOutcome(TaskOutcome.Kind.FAILED, activity, execution.id());
    }

    private void end(ExecutionId executionId) {
        try {
            outbox.endExecution(executionId);
        } catch (OutboxException e) {
            LOG.error("Cannot end execution {}: {}", executionId, e.getMessage(), e);
        }
    }

    /** The task being run and the stop requested for it. */
    private static final class Running {
        final String taskId;
        final ExecutionId execution;
        final Thread thread;
        private volatile StopMode stopMode;
        private volatile String stopLine;

        Running(String taskId, ExecutionId execution, Thread thread) {
            this.taskId = taskId;
            this.execution = execution;
            this.thread = thread;
        }

        void request(StopMode mode, boolean silently, String line) {
            if (stopMode == null || mode == StopMode.IMMEDIATE) {
                stopMode = mode;
            }
            if (stopLine == null && line != null && !line.isEmpty()) {
                stopLine = line;
            }
        }

        boolean stopRequested() {
            return stopMode != null;
        }

        StopMode stopMode() {
            StopMode m = stopMode;
            return m == null ? StopMode.GRACEFUL : m;
        }

        Optional<String> stopLine() {
            return Optional.ofNullable(stopLine);
        }
    }
}
