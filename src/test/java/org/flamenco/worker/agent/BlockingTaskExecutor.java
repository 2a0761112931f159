package org.flamenco.worker.agent;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.flamenco.worker.model.ExecutionId;
import org.flamenco.worker.model.Task;

/** Runs a "task" until the test finishes it or the worker stops it; records what happened. */
final class BlockingTaskExecutor implements TaskExecutor {
    final List<String> events = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<TaskResult.Outcome> endings = new LinkedBlockingQueue<>();
    private volatile ExecutionId current;
    /** The task completes on its own at the moment it is asked to stop (the race of a signal with its end). */
    volatile boolean completesWhenStopped;
    /** Stop requests are only recorded; the test ends the task with {@link #finish}. */
    volatile boolean ignoresStop;

    @Override
    public TaskResult execute(Task task) throws InterruptedException {
        current = new ExecutionId(task.id(), UUID.randomUUID().toString());
        events.add("start " + task.id());
        TaskResult.Outcome outcome = endings.poll(60, TimeUnit.SECONDS);
        events.add("end " + task.id() + " " + outcome);
        return new TaskResult(current, outcome == null ? TaskResult.Outcome.FAILED : outcome, "");
    }

    @Override
    public void stop(StopKind kind) {
        events.add("stop " + kind);
        if (ignoresStop) {
            return;
        }
        endings.add(completesWhenStopped ? TaskResult.Outcome.COMPLETED : TaskResult.Outcome.STOPPED);
    }

    void finish(TaskResult.Outcome outcome) {
        endings.add(outcome);
    }
}
