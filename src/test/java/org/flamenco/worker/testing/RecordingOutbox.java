package org.flamenco.worker.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.flamenco.worker.model.ActivitySnapshot;
import org.flamenco.worker.model.ExecutionId;
import org.flamenco.worker.outbox.Outbox;
import org.flamenco.worker.outbox.OutboxException;
import org.flamenco.worker.outbox.QueueState;

/** An in-memory {@link Outbox} that records every capture in order; nothing is ever sent. Thread-safe. */
public final class RecordingOutbox implements Outbox {
    /** One recorded call. Exactly one of {@code line} / {@code snapshot} is set for captures. */
    public record Entry(String kind, ExecutionId execution, String line, ActivitySnapshot snapshot) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final List<Integer> bursts = new ArrayList<>();
    private final AtomicInteger executions = new AtomicInteger();
    private volatile Consumer<String> logHook = line -> { };

    @Override
    public ExecutionId beginExecution(String taskId) {
        ExecutionId id = new ExecutionId(taskId, "exec-" + executions.incrementAndGet());
        add(new Entry("begin", id, null, null));
        return id;
    }

    @Override
    public void captureLog(ExecutionId execution, String line) throws OutboxException {
        if (line.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 65_536 + 1024) {
            throw new IllegalArgumentException("log line over 64 KiB + prefix: " + line.length() + " chars");
        }
        add(new Entry("log", execution, line, null));
        logHook.accept(line);
    }

    /** Calls {@code hook} with each log line captured one by one, on the capturing thread, after recording it. */
    public void onLog(Consumer<String> hook) {
        logHook = hook;
    }

    /** Records each line as {@link #captureLog} does, and the size of the burst ({@link #bursts()}). */
    @Override
    public void captureLogs(ExecutionId execution, List<String> lines) throws OutboxException {
        synchronized (this) {
            bursts.add(lines.size());
        }
        Outbox.super.captureLogs(execution, lines);
    }

    @Override
    public void captureActivity(ExecutionId execution, ActivitySnapshot snapshot) {
        add(new Entry("activity", execution, null, snapshot));
    }

    @Override
    public void markSilentlyAborting(ExecutionId execution) {
        add(new Entry("silent", execution, null, null));
    }

    @Override
    public void endExecution(ExecutionId execution) {
        add(new Entry("end", execution, null, null));
    }

    @Override
    public void releaseAll() {
        add(new Entry("releaseAll", null, null, null));
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
    }

    private synchronized void add(Entry e) {
        entries.add(e);
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** How many lines each {@link #captureLogs} call captured, in order. */
    public synchronized List<Integer> bursts() {
        return List.copyOf(bursts);
    }

    /** The task-log lines captured so far, in order. */
    public synchronized List<String> logLines() {
        return entries.stream().filter(e -> e.kind().equals("log")).map(Entry::line).collect(Collectors.toList());
    }

    /** The activity snapshots captured so far, in order. */
    public synchronized List<ActivitySnapshot> snapshots() {
        return entries.stream().filter(e -> e.kind().equals("activity")).map(Entry::snapshot)
                .collect(Collectors.toList());
    }

    /** The last snapshot captured (fails when there is none). */
    public synchronized ActivitySnapshot lastSnapshot() {
        List<ActivitySnapshot> s = snapshots();
        if (s.isEmpty()) {
            throw new AssertionError("no activity captured");
        }
        return s.get(s.size() - 1);
    }

    /** The kinds of calls in order (begin, log, activity, silent, end…). */
    public synchronized List<String> kinds() {
        return entries.stream().map(Entry::kind).collect(Collectors.toList());
    }
}
