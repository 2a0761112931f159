package org.flamenco.worker.outbox;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.model.ActivitySnapshot;
import org.flamenco.worker.model.ExecutionId;

/**
 * An {@link Outbox} that prints instead of queueing, for {@code exec-task} (running one task without a Manager):
 * every task-log line with the timestamp prefix the Manager would receive, and every change of status, activity or
 * progress as a {@code >> } line, as it is captured. Nothing is stored or sent, so the queue is always empty and
 * everything counts as delivered.
 *
 * <p>Thread-safe: each capture prints whole lines under one lock, so lines from different threads never interleave
 * and appear in capture order. Printing to a console is the whole point here, hence the I/O under the lock.
 */
public final class ConsoleOutbox implements Outbox {
    private final PrintWriter console;
    private final Clock clock;
    private final AtomicLong executions = new AtomicLong();
    private final Object lock = new Object();
    private final Map<ExecutionId, ActivitySnapshot> last = new HashMap<>(); // guarded by lock

    public ConsoleOutbox(PrintWriter console, Clock clock) {
        this.console = Objects.requireNonNull(console, "console");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public ExecutionId beginExecution(String taskId) {
        ExecutionId id = new ExecutionId(Objects.requireNonNull(taskId, "taskId"),
                "console-" + executions.incrementAndGet());
        synchronized (lock) {
            last.put(id, ActivitySnapshot.initial());
        }
        return id;
    }

    @Override
    public void captureLog(ExecutionId execution, String line) {
        String prefixed = LogLine.prefixed(clock.now(), line);
        synchronized (lock) {
            console.println(prefixed);
            console.flush();
        }
    }

    @Override
    public void captureActivity(ExecutionId execution, ActivitySnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        synchronized (lock) {
            ActivitySnapshot before = last.getOrDefault(execution, ActivitySnapshot.initial());
            last.put(execution, snapshot);
            if (snapshot.taskStatus() != before.taskStatus() && snapshot.taskStatus() != null) {
                console.println(">> status: " + snapshot.taskStatus().wire());
            }
            if (!snapshot.activity().equals(before.activity())) {
                console.println(">> activity: " + snapshot.activity());
            }
            if (progressChanged(before, snapshot)) {
                console.println(">> progress: task " + snapshot.taskProgressPercentage() + "%, command "
                        + snapshot.currentCommandIdx() + " at " + snapshot.commandProgressPercentage() + "%");
            }
            console.flush();
        }
    }

    private static boolean progressChanged(ActivitySnapshot before, ActivitySnapshot now) {
        return before.taskProgressPercentage() != now.taskProgressPercentage()
                || before.currentCommandIdx() != now.currentCommandIdx()
                || before.commandProgressPercentage() != now.commandProgressPercentage();
    }

    @Override
    public void markSilentlyAborting(ExecutionId execution) {
        // nothing is sent anyway
    }

    @Override
    public void endExecution(ExecutionId execution) {
        synchronized (lock) {
            last.remove(execution);
        }
    }

    @Override
    public void releaseAll() {
        // every capture was printed at once
    }

    @Override
    public QueueState state() {
        return new QueueState(0, 0, false, Duration.ZERO);
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
        console.flush();
    }
}
