package org.flamenco.worker.task;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.flamenco.worker.model.ActivitySnapshot;
import org.flamenco.worker.model.ExecutionId;
import org.flamenco.worker.model.TaskStatus;
import org.flamenco.worker.metrics.WorkerMetrics;
import org.flamenco.worker.outbox.Outbox;
import org.flamenco.worker.outbox.OutboxException;

/**
 * One execution's activity snapshot and its captures. Thread-safe: the task thread and output reader threads call
 * it. Captures are serialised by {@link #captureLock} so snapshots and lines reach the outbox in the order they were
 * made; the outbox never calls back, so holding this lock across its local commit cannot deadlock. Subprocess output
 * lines are held until the reader has handled one read of the pipe ({@link #flushOutput()}) and then captured in
 * one go; every other capture takes the held lines first.
 */
final class Execution {
    private static final int MAX_LINE_BYTES = 65_536;
    /**
     * Subprocess output arrives already cut into pieces of at most {@link #MAX_LINE_BYTES} by the line reader, then
     * gets a prefix from the command ({@code pid=<pid> > }); the room for that prefix keeps such a piece whole, so it
     * is never cut a second time into a piece and a fragment without the prefix (commands.md §2.4).
     */
    private static final int MAX_OUTPUT_LINE_BYTES = MAX_LINE_BYTES + 1024;
    /** Held output lines are captured at this many lines or chars even within one burst. */
    private static final int MAX_PENDING_LINES = 4096;
    private static final int MAX_PENDING_CHARS = 256 * 1024;

    private final ExecutionId id;
    private final Outbox outbox;
    private final int commandCount;
    private final WorkerMetrics metrics;
    private final Object captureLock = new Object();
    private final Map<String, Double> aggregate = new LinkedHashMap<>();
    /** Output lines not yet captured (guarded by {@link #captureLock}). */
    private final List<String> pendingOutput = new ArrayList<>();
    private int pendingOutputChars;
    private ActivitySnapshot snapshot = ActivitySnapshot.initial();
    private int commandsFinished;

    Execution(ExecutionId id, Outbox outbox, int commandCount) {
        this(id, outbox, commandCount, WorkerMetrics.NONE);
    }

    /** @param metrics told the task's progress as it changes */
    Execution(ExecutionId id, Outbox outbox, int commandCount, WorkerMetrics metrics) {
        this.id = Objects.requireNonNull(id, "id");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.commandCount = commandCount;
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    ExecutionId id() {
        return id;
    }

    /** Captures one task-log line, cut into pieces of at most 64 KiB of UTF-8. */
    void log(String line) {
        synchronized (captureLock) {
            capturePendingOutput();
            captureLine(line, MAX_LINE_BYTES);
        }
    }

    /**
     * Holds one subprocess output line to capture it with the rest of its burst ({@link #flushOutput()}); any other
     * capture takes the held lines first.
     */
    void outputLine(String line) {
        synchronized (captureLock) {
            if (line.length() * 3 > MAX_LINE_BYTES) {
                capturePendingOutput();
                captureLine(line, MAX_OUTPUT_LINE_BYTES); // may need cutting into pieces
                return;
            }
            pendingOutput.add(line);
            pendingOutputChars += line.length();
            if (pendingOutput.size() >= MAX_PENDING_LINES || pendingOutputChars >= MAX_PENDING_CHARS) {
                capturePendingOutput();
            }
        }
    }

    /** Captures the output lines held by {@link #outputLine}. */
    void flushOutput() {
        synchronized (captureLock) {
            capturePendingOutput();
        }
    }

    /** Lock held. */
    private void capturePendingOutput() {
        if (pendingOutput.isEmpty()) {
            return;
        }
        try {
            outbox.captureLogs(id, pendingOutput);
        } catch (OutboxException e) {
            throw new CaptureFailedException(e);
        } finally {
            pendingOutput.clear();
            pendingOutputChars = 0;
        }
    }

    /** Lock held. */
    private void captureLine(String line, int maxBytes) {
        try {
            if (line.length() * 3 <= maxBytes || line.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
                outbox.captureLog(id, line);
                return;
            }
            int start = 0;
            while (start < line.length()) {
                int end = pieceEnd(line, start, maxBytes);
                outbox.captureLog(id, line.substring(start, end));
                start = end;
            }
        } catch (OutboxException e) {
            throw new CaptureFailedException(e);
        }
    }

    private static int pieceEnd(String s, int start, int maxBytes) {
        int bytes = 0;
        int i = start;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > maxBytes) {
                break;
            }
            bytes += n;
            i += Character.charCount(cp);
        }
        return i;
    }

    void status(TaskStatus status) {
        update(s -> new ActivitySnapshot(status, s.activity(), s.currentCommandIdx(), s.taskProgressPercentage(),
                s.commandProgressPercentage(), s.timing(), s.stepsCompleted()));
    }

    void activity(String activity) {
        update(s -> new ActivitySnapshot(s.taskStatus(), activity, s.currentCommandIdx(),
                s.taskProgressPercentage(), s.commandProgressPercentage(), s.timing(), s.stepsCompleted()));
    }

    /** A command starts: activity, index, command progress 0. */
    void commandStarted(int index, String activity) {
        update(s -> new ActivitySnapshot(s.taskStatus(), activity, index, s.taskProgressPercentage(), 0,
                s.timing(), s.stepsCompleted()));
    }

    /** A command succeeded: activity, index, command progress 100, task progress for i + 1 commands done. */
    void commandFinished(int index, String activity) {
        synchronized (captureLock) {
            commandsFinished = index + 1;
            update(s -> new ActivitySnapshot(s.taskStatus(), activity, index, taskProgress(0.0), 100, s.timing(),
                    s.stepsCompleted()));
        }
    }

    /** The running command's progress, 0–100; never decreases. */
    void commandProgress(int percentage) {
        int p = Math.max(0, Math.min(100, percentage));
        update(s -> {
            int command = Math.max(s.commandProgressPercentage(), p);
            return new ActivitySnapshot(s.taskStatus(), s.activity(), s.currentCommandIdx(), taskProgress(command
                    / 100.0), command, s.timing(), s.stepsCompleted());
        });
    }

    /** Adds a finished command's timing to the aggregate and the snapshot. */
    void addTiming(Map<String, Double> timing) {
        synchronized (captureLock) {
            timing.forEach((k, v) -> aggregate.merge(k, v, Double::sum));
            Map<String, Double> copy = new LinkedHashMap<>(aggregate);
            update(s -> new ActivitySnapshot(s.taskStatus(), s.activity(), s.currentCommandIdx(),
                    s.taskProgressPercentage(), s.commandProgressPercentage(), copy, s.stepsCompleted()));
        }
    }

    Map<String, Double> aggregate() {
        synchronized (captureLock) {
            return new LinkedHashMap<>(aggregate);
        }
    }

    /** The task completed: status, activity {@code Task completed}, task progress 100. */
    void completed() {
        completed("Task completed");
    }

    /** The task completed: status, {@code activity}, task progress 100. */
    void completed(String activity) {
        update(s -> new ActivitySnapshot(TaskStatus.COMPLETED, activity, s.currentCommandIdx(), 100,
                s.commandProgressPercentage(), s.timing(), s.stepsCompleted()));
    }

    /** A status and an activity in one update (Flamenco 3's {@code active} + {@code Started}). */
    void statusAndActivity(TaskStatus status, String activity) {
        update(s -> new ActivitySnapshot(status, activity, s.currentCommandIdx(), s.taskProgressPercentage(),
                s.commandProgressPercentage(), s.timing(), s.stepsCompleted()));
    }

    /** Flamenco 3's running step count of the task; never decreases. */
    void stepsCompleted(int steps) {
        update(s -> s.withStepsCompleted(Math.max(s.stepsCompleted(), steps)));
    }

    String currentActivity() {
        synchronized (captureLock) {
            return snapshot.activity();
        }
    }

    private int taskProgress(double runningFraction) {
        if (commandCount <= 0) {
            return snapshot.taskProgressPercentage();
        }
        int p = (int) Math.floor(100.0 * (Math.min(commandsFinished, commandCount) + runningFraction)
                / commandCount + 1e-9);
        return Math.max(snapshot.taskProgressPercentage(), Math.min(100, p));
    }

    private void update(java.util.function.UnaryOperator<ActivitySnapshot> change) {
        synchronized (captureLock) {
            ActivitySnapshot next = change.apply(snapshot);
            if (next.equals(snapshot)) {
                return;
            }
            capturePendingOutput();
            snapshot = next;
            metrics.taskProgress(next.taskProgressPercentage());
            try {
                outbox.captureActivity(id, next);
            } catch (OutboxException e) {
                throw new CaptureFailedException(e);
            }
        }
    }
}
