package org.flamenco.worker.metrics;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import org.flamenco.worker.clock.Clock;

/**
 * The worker's figures in memory: lock-free counters and volatile gauges that callers update from any thread, read by
 * the Prometheus export, {@code /healthz} and the systemd status line. Holds no thread and does no I/O.
 *
 * <p>{@link #onChange} registers one listener that is called (on the reporting thread, so it must not block) when
 * something the systemd status line shows changes: the state, a task's start, progress and end, quarantine, and the
 * Manager starting or stopping to answer.
 *
 * <p>The queue figures are what the last {@link #queueSampled} said (a database read is too costly for every
 * scrape); the age of the oldest update keeps growing from that sample while the queue is not empty.
 */
public final class InMemoryMetrics implements WorkerMetrics {
    private final Clock clock;
    private final long startedNanos;

    private volatile WorkerState state = WorkerState.STARTING;
    private volatile long lastBeatNanos;
    private volatile String taskId = "";
    private volatile long taskStartedNanos;
    private volatile int taskProgress;
    private volatile double treeCpuSeconds;
    private volatile long treeRssBytes;
    private volatile boolean treeFed;
    private volatile QueueSample queue = new QueueSample(0, 0, Duration.ZERO, 0);
    private volatile long backoffNanos;
    private volatile long lastContactNanos;
    private volatile boolean contacted;
    private volatile boolean quarantined;
    private volatile boolean answering = true;
    private volatile Runnable changeListener = () -> { };

    final LongAdder tasksStarted = new LongAdder();
    final LabeledCounter tasksFinished = new LabeledCounter("outcome");
    final LabeledCounter commands = new LabeledCounter("command", "outcome");
    final LongAdder delivered = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder deadLetters = new LongAdder();
    final LabeledCounter requests = new LabeledCounter("endpoint", "outcome");
    final LatencyHistogram latency = new LatencyHistogram();
    final LongAdder reRegistrations = new LongAdder();

    private record QueueSample(long elements, long bytes, Duration oldestAge, long sampledNanos) {
    }

    public InMemoryMetrics(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.startedNanos = clock.nanoTime();
        this.lastBeatNanos = startedNanos;
    }

    /** Calls {@code listener} on every change the status line shows (see the class comment); replaces the last. */
    public void onChange(Runnable listener) {
        changeListener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void workerState(WorkerState newState) {
        WorkerState old = state;
        state = Objects.requireNonNull(newState, "newState");
        lastBeatNanos = clock.nanoTime();
        if (old != newState) {
            changeListener.run();
        }
    }

    @Override
    public void loopHeartbeat() {
        lastBeatNanos = clock.nanoTime();
    }

    @Override
    public void loopWaitsUntil(long untilNanos) {
        lastBeatNanos = Math.max(clock.nanoTime(), untilNanos);
    }

    @Override
    public void taskStarted(String id) {
        taskStartedNanos = clock.nanoTime();
        taskProgress = 0;
        treeCpuSeconds = 0;
        treeRssBytes = 0;
        taskId = Objects.requireNonNull(id, "id");
        tasksStarted.increment();
        changeListener.run();
    }

    @Override
    public void taskProgress(int percent) {
        int old = taskProgress;
        taskProgress = Math.max(0, Math.min(100, percent));
        if (old != taskProgress) {
            changeListener.run();
        }
    }

    @Override
    public void taskFinished(String outcome) {
        tasksFinished.increment(outcome);
        taskId = "";
        treeCpuSeconds = 0;
        treeRssBytes = 0;
        lastBeatNanos = clock.nanoTime();
        changeListener.run();
    }

    @Override
    public void commandFinished(String command, String outcome) {
        commands.increment(command, outcome);
    }

    @Override
    public void recordTaskTree(double cpuSeconds, long rssBytes) {
        treeFed = true;
        treeCpuSeconds = cpuSeconds;
        treeRssBytes = rssBytes;
    }

    @Override
    public void queueSampled(long elements, long bytes, Duration oldestAge) {
        queue = new QueueSample(elements, bytes, oldestAge, clock.nanoTime());
    }

    @Override
    public void updatesDelivered(long elements) {
        delivered.add(elements);
        backoffNanos = 0;
    }

    @Override
    public void deadLettered(long elements) {
        deadLetters.add(elements);
    }

    @Override
    public void senderBackoff(Duration backoff) {
        if (!backoff.isZero()) {
            retries.increment();
        }
        backoffNanos = backoff.toNanos();
    }

    @Override
    public void managerRequest(String endpoint, int status, long nanos) {
        requests.increment(endpoint, outcome(status));
        latency.observe(endpoint, nanos / 1e9);
        boolean ok = status >= 200 && status < 300;
        boolean first = ok && !contacted;
        if (ok) {
            lastContactNanos = clock.nanoTime();
            contacted = true;
        }
        if (first || ok != answering) {
            answering = ok;
            changeListener.run();
        }
    }

    @Override
    public void reRegistered() {
        reRegistrations.increment();
    }

    @Override
    public void quarantined(boolean inQuarantine) {
        boolean old = quarantined;
        quarantined = inQuarantine;
        if (old != inQuarantine) {
            changeListener.run();
        }
    }

    /** False while the last Manager request got no 2xx answer (an outage, a 5xx storm). */
    public boolean managerAnswering() {
        return answering;
    }

    /** The current condition. */
    public MetricsSnapshot snapshot() {
        long now = clock.nanoTime();
        String task = taskId;
        QueueSample q = queue;
        Duration oldest = q.elements() > 0 ? q.oldestAge().plusNanos(now - q.sampledNanos()) : Duration.ZERO;
        WorkerState s = state;
        boolean loopRuns = s == WorkerState.AWAKE || s == WorkerState.ASLEEP || s == WorkerState.ERROR;
        Duration stalled = loopRuns && task.isEmpty() ? Duration.ofNanos(Math.max(0, now - lastBeatNanos))
                : Duration.ZERO;
        return new MetricsSnapshot(s, task, task.isEmpty() ? 0 : taskProgress,
                task.isEmpty() ? Duration.ZERO : Duration.ofNanos(now - taskStartedNanos), q.elements(), q.bytes(),
                oldest, contacted ? Optional.of(Duration.ofNanos(now - lastContactNanos)) : Optional.empty(),
                stalled, quarantined, Duration.ofNanos(now - startedNanos));
    }

    /** True once a process-tree sampler reported: until then the tree gauges are not exported. */
    boolean treeFed() {
        return treeFed;
    }

    double treeCpuSeconds() {
        return treeCpuSeconds;
    }

    long treeRssBytes() {
        return treeRssBytes;
    }

    Duration senderBackoff() {
        return Duration.ofNanos(backoffNanos);
    }

    /** The outcome label of a request: the status class, or {@code network} when no answer came. */
    static String outcome(int status) {
        if (status <= 0) {
            return "network";
        }
        return (status / 100) + "xx";
    }
}
