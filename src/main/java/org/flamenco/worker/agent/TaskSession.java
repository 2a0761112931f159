package org.flamenco.worker.agent;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.flamenco.worker.manager.MayKeepRunning;
import org.flamenco.worker.metrics.WorkerMetrics;
import org.flamenco.worker.model.Task;
import org.flamenco.worker.task.StopReason;
import org.flamenco.worker.task.TaskOutcome;
import org.flamenco.worker.task.TaskRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running task's session (worker-behaviour.md §8, §9, §16 step 2; protocol-v2.md §3.5–§3.6): runs one task in
 * the {@link TaskRunner} on the loop thread with the may-i-run poller watching it, stops it when the Manager,
 * SIGUSR1 or the shutdown says so, and finishes the stop afterwards (task-log line, return, requested status), then
 * quarantine and single mode.
 */
public final class TaskSession {
    private static final Logger LOG = LoggerFactory.getLogger(TaskSession.class);

    private final AgentStates states;
    private final TaskRunner runner;
    private final MayIRunPoller poller;
    private final TaskReturner returner;
    private final Quarantine quarantine;
    private final WorkerTiming timing;
    private final WorkerMetrics metrics;
    private final boolean singleTask;

    /**
     * @param metrics    told each task's end and quarantine
     * @param singleTask {@code --single}: ask for the shutdown after the first task
     */
    public TaskSession(AgentStates states, TaskRunner runner, MayIRunPoller poller, TaskReturner returner,
                       Quarantine quarantine, WorkerTiming timing, WorkerMetrics metrics, boolean singleTask) {
        this.states = Objects.requireNonNull(states, "states");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.poller = Objects.requireNonNull(poller, "poller");
        this.returner = Objects.requireNonNull(returner, "returner");
        this.quarantine = Objects.requireNonNull(quarantine, "quarantine");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.singleTask = singleTask;
    }

    /** Runs {@code task} to its end and everything its end asks for; on the loop thread. */
    void run(Task task) throws InterruptedException {
        states.taskStarted(task.id());
        poller.watch(task.id(), this::revoked);
        quarantine.taskStarted();
        TaskOutcome result;
        TaskEnd end;
        try {
            result = runner.run(task);
        } finally {
            poller.unwatch();
            end = states.taskEnded();
        }
        String outcome = result.kind().name().toLowerCase(Locale.ROOT);
        LOG.info("Task {} ended: {}", task.id(), outcome);
        finishStop(result, end.stop());
        metrics.taskFinished(outcome); // after the return: it may wait
        if (end.sleep()) {
            states.sleepAfterTask();
        }
        if (singleTask) {
            states.singleTaskDone();
            return;
        }
        Optional<String> quarantined = quarantine.taskEnded(result);
        if (quarantined.isPresent()) {
            LOG.error("{}", quarantined.get());
            metrics.quarantined(true);
            states.errorIfAwake();
            return;
        }
        states.scheduleFetch(timing.afterTask());
    }

    private void finishStop(TaskOutcome result, PendingStop stop) throws InterruptedException {
        if (result.kind() != TaskOutcome.Kind.STOPPED) {
            return;
        }
        if (states.shuttingDown()) {
            returner.logShutdownStop(result.execution());
        } else if (stop != null) {
            returner.returnTask(result.execution(), stop.logLine());
            stop.statusRequested().ifPresent(states::requested);
        }
    }

    /** From the may-i-run poller: the Manager says no for {@code taskId}. */
    private void revoked(String taskId, MayKeepRunning answer) {
        if (states.revoke(taskId, answer.statusRequested(), returner.revokedLine())) {
            runner.stop(StopReason.RETURN);
        }
    }

    /** SIGUSR1: sleep; a running task is stopped and returned first (never cancelled). */
    void sleepRequested() {
        if (states.sleep(returner.sleepLine())) {
            LOG.info("Going to sleep: stopping the running task and returning it to the Manager");
            runner.stop(StopReason.RETURN);
        }
    }

    /** The clean shutdown began: stop the running task ({@code forced}: kill its tree without grace). */
    void stopForShutdown(boolean forced) {
        runner.stop(forced ? StopReason.FORCED : StopReason.SHUTDOWN);
    }
}
