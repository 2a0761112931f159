package org.flamenco.worker.agent;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.clock.Wakeup;
import org.flamenco.worker.metrics.WorkerMetrics;
import org.flamenco.worker.metrics.WorkerState;
import org.flamenco.worker.model.WorkerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's state machine (worker-behaviour.md §6) and the bookkeeping of the running task, under one lock.
 *
 * <pre>
 *            423 asleep / SIGUSR1 / may-i-run no+asleep          pre-task check failed / request error
 *   AWAKE ─────────────────────────────────────────► ASLEEP     AWAKE ───────────────────────────► ERROR
 *     ▲  ◄──────────── status-change awake / SIGUSR2 ───┘          ▲ ◄──── 600 s elapsed / SIGUSR2 ───┘
 *     │                                                            ERROR ── SIGUSR1 ──► ASLEEP
 *   any state ── shutdown request / signal / --single done ──► SHUTTING_DOWN (final)
 * </pre>
 *
 * Exactly one activity exists at a time: the scheduled fetch (AWAKE), the status poll (ASLEEP) or the error timer
 * (ERROR), each represented by one deadline; entering a state replaces it and acks the new status. Every method
 * takes the lock for a moment and never calls the Manager while holding it (acks are queued). The loop waits for
 * its activity on a {@link Wakeup} of the clock, outside the lock, so tests drive it with a fake clock.
 * Thread-safe.
 */
public final class AgentStates {
    private static final Logger LOG = LoggerFactory.getLogger(AgentStates.class);

    enum State { AWAKE, ASLEEP, ERROR, SHUTTING_DOWN }

    private final Clock clock;
    private final DoubleSupplier random;
    private final WorkerTiming timing;
    private final Acks acks;
    private final WorkerMetrics metrics;
    private final Consumer<ShutdownCause> shutdownRequester;
    private final ReentrantLock lock = new ReentrantLock();
    /** Ends the loop's wait early: a state change or a new deadline. */
    private final Wakeup changed;
    /** Written under the lock; read without it. */
    private volatile State state = State.AWAKE;
    private long deadlineNanos;
    private String runningTaskId;
    private PendingStop pendingStop;
    /** SIGUSR1 arrived while a task ran: sleep after it, however it ended (it may have ended on its own). */
    private boolean sleepAfterTask;
    /** The loop thread while it is inside a Manager call that shutdown may abandon, else null. */
    private Thread inManagerCall;

    /**
     * @param acks              sends the ack of every state entered
     * @param metrics           follows the state, the running task and quarantine, and the loop's heartbeat
     * @param shutdownRequester asks the daemon for the clean shutdown (a Manager request, {@code --single})
     * @param random            in [0, 1): spreads the awake loop's fixed waits ({@link WorkerTiming#spread})
     */
    public AgentStates(Clock clock, WorkerTiming timing, Acks acks, WorkerMetrics metrics,
                       Consumer<ShutdownCause> shutdownRequester, DoubleSupplier random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.acks = Objects.requireNonNull(acks, "acks");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.shutdownRequester = Objects.requireNonNull(shutdownRequester, "shutdownRequester");
        this.changed = clock.newWakeup();
    }

    /** Startup: awake, with the first fetch due now. */
    void startAwake() {
        lock.lock();
        try {
            deadlineNanos = clock.nanoTime();
        } finally {
            lock.unlock();
        }
        metrics.workerState(WorkerState.AWAKE);
    }

    /**
     * Waits until the current activity is due or shutdown began; returns the state to act in. The loop's heartbeat
     * beats at every wake-up.
     */
    State awaitActivity() throws InterruptedException {
        while (true) {
            long deadline;
            lock.lock();
            try {
                if (state == State.SHUTTING_DOWN || clock.nanoTime() >= deadlineNanos) {
                    metrics.loopHeartbeat();
                    return state;
                }
                deadline = deadlineNanos;
            } finally {
                lock.unlock();
            }
            metrics.loopWaitsUntil(deadline); // alive until then, without waking to say so
            changed.awaitUntil(deadline);
        }
    }

    boolean is(State s) {
        return state == s;
    }

    boolean shuttingDown() {
        return is(State.SHUTTING_DOWN);
    }

    /** A shutdown is being requested: no activity before the watchdog interval (the shutdown ends the wait). */
    private void hold() {
        lock.lock();
        try {
            deadlineNanos = clock.nanoTime() + timing.watchdog().toNanos();
        } finally {
            lock.unlock();
        }
    }

    /** The next fetch after one of the loop's fixed waits ({@link WorkerTiming#spread}), unless no longer awake. */
    void scheduleFetch(Duration wait) {
        schedule(State.AWAKE, timing.spread(wait, random.getAsDouble()));
    }

    /** The next activity of {@code expected} in {@code delay}; ignored when the state changed meanwhile. */
    void schedule(State expected, Duration delay) {
        lock.lock();
        try {
            if (state == expected) {
                deadlineNanos = clock.nanoTime() + delay.toNanos();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Pre-task check failed or quarantine: ERROR, unless the state changed meanwhile. */
    void errorIfAwake() {
        lock.lock();
        try {
            if (state == State.AWAKE) {
                enterError();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The error timer elapsed: AWAKE again (true), unless the state changed meanwhile (false). */
    boolean endError() {
        lock.lock();
        try {
            if (state != State.ERROR) {
                return false;
            }
            LOG.info("Error state over; checking again before the next fetch");
            metrics.quarantined(false);
            enterAwake(true);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The Manager asked for {@code requested} (a 423, a status-change answer, a may-i-run "no", a v3 sign-on):
     * shutdown and restart go to the daemon, any other status is entered. Never called under the lock.
     */
    void requested(WorkerStatus requested) {
        switch (requested) {
            case SHUTDOWN, OFFLINE -> {
                LOG.info("The Manager requested shutdown");
                hold(); // ask the Manager nothing more before the shutdown begins
                shutdownRequester.accept(ShutdownCause.MANAGER_REQUESTED);
            }
            case RESTART -> {
                LOG.info("The Manager requested a restart");
                hold();
                shutdownRequester.accept(ShutdownCause.RESTART_REQUESTED);
            }
            default -> apply(requested);
        }
    }

    /** {@code --single}: the task has ended, shut down. */
    void singleTaskDone() {
        shutdownRequester.accept(ShutdownCause.SINGLE_TASK_DONE);
    }

    /** Says the current status again (the Manager does not think the worker is {@code status}). */
    void announce(WorkerStatus status) {
        acks.ack(status);
    }

    /** A Manager request for AWAKE, ERROR, ASLEEP or a status the worker cannot enter (then ASLEEP). */
    private void apply(WorkerStatus requested) {
        lock.lock();
        try {
            if (state == State.SHUTTING_DOWN) {
                return;
            }
            switch (requested) {
                case AWAKE -> {
                    LOG.info("The Manager requested status awake");
                    enterAwake(true);
                }
                case ERROR -> {
                    LOG.info("The Manager requested status error");
                    enterError();
                }
                case ASLEEP -> {
                    LOG.info("The Manager requested status asleep");
                    enterAsleep();
                }
                default -> {
                    LOG.error("We have no way to go to status {}, going to sleep instead", requested.wire());
                    enterAsleep();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** SIGUSR2: AWAKE; a running task is not disturbed (its end schedules the next fetch). */
    void wake() {
        lock.lock();
        try {
            if (state != State.SHUTTING_DOWN) {
                enterAwake(runningTaskId == null);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * SIGUSR1: ASLEEP now, or after the running task, which must then be stopped and returned.
     *
     * @return true when the caller must stop the running task
     */
    boolean sleep(String stopLine) {
        lock.lock();
        try {
            if (state == State.SHUTTING_DOWN) {
                return false;
            }
            if (runningTaskId == null) {
                enterAsleep();
                return false;
            }
            sleepAfterTask = true;
            if (pendingStop != null) {
                return false;
            }
            // no requested status: sleepAfterTask does it, and the log does not blame the Manager
            pendingStop = new PendingStop(Optional.empty(), stopLine);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** After a task that SIGUSR1 interrupted (or that ended by itself as the signal came): ASLEEP. */
    void sleepAfterTask() {
        lock.lock();
        try {
            if (state != State.SHUTTING_DOWN && state != State.ASLEEP) {
                enterAsleep();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Begins the clean shutdown: final state, the loop wakes, a Manager call in flight is abandoned.
     *
     * @return true when a running task must be stopped (the first time, or again when forced)
     */
    boolean beginShutdown(boolean forced) {
        lock.lock();
        try {
            boolean first = state != State.SHUTTING_DOWN;
            state = State.SHUTTING_DOWN;
            metrics.workerState(WorkerState.SHUTTING_DOWN);
            changed.wake();
            if (inManagerCall != null) {
                inManagerCall.interrupt(); // abandon a /task or /status-change call in flight (§16 step 1)
            }
            return runningTaskId != null && (first || forced);
        } finally {
            lock.unlock();
        }
    }

    void taskStarted(String taskId) {
        lock.lock();
        try {
            runningTaskId = taskId;
            pendingStop = null;
            sleepAfterTask = false;
        } finally {
            lock.unlock();
        }
        metrics.taskStarted(taskId);
    }

    /**
     * The Manager said no for {@code taskId} (may-i-run).
     *
     * @return true when the caller must stop the running task; false for a race with the task's end, or when a stop
     *     is already under way
     */
    boolean revoke(String taskId, Optional<WorkerStatus> statusRequested, String stopLine) {
        lock.lock();
        try {
            if (!taskId.equals(runningTaskId) || state == State.SHUTTING_DOWN || pendingStop != null) {
                return false;
            }
            pendingStop = new PendingStop(statusRequested, stopLine);
            return true;
        } finally {
            lock.unlock();
        }
    }

    TaskEnd taskEnded() {
        lock.lock();
        try {
            TaskEnd end = new TaskEnd(pendingStop, sleepAfterTask);
            runningTaskId = null;
            pendingStop = null;
            sleepAfterTask = false;
            return end;
        } finally {
            lock.unlock();
        }
    }

    /** The loop thread enters ({@code true}) or leaves a Manager call that shutdown may interrupt. */
    void inManagerCall(boolean value) {
        lock.lock();
        try {
            inManagerCall = value ? Thread.currentThread() : null;
            if (!value) {
                Thread.interrupted(); // an interrupt meant for the call must not leak into the next wait
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@code state <name>, running task <id>} for status lines. */
    String describe() {
        lock.lock();
        try {
            return "state " + state.name().toLowerCase(Locale.ROOT).replace('_', '-')
                    + ", running task " + (runningTaskId == null ? "none" : runningTaskId);
        } finally {
            lock.unlock();
        }
    }

    // The enter* methods run with the lock held.

    private void enterAwake(boolean scheduleFetch) {
        enter(State.AWAKE, WorkerState.AWAKE, WorkerStatus.AWAKE, scheduleFetch
                ? clock.nanoTime() + timing.spread(timing.afterWake(), random.getAsDouble()).toNanos() : deadlineNanos);
    }

    private void enterAsleep() {
        if (state != State.ASLEEP) {
            LOG.info("Going to sleep; asking the Manager for status changes every {} s",
                    timing.asleepPoll().toSeconds());
        }
        enter(State.ASLEEP, WorkerState.ASLEEP, WorkerStatus.ASLEEP, clock.nanoTime() + timing.asleepPoll().toNanos());
    }

    private void enterError() {
        enter(State.ERROR, WorkerState.ERROR, WorkerStatus.ERROR, clock.nanoTime() + timing.errorState().toNanos());
    }

    private void enter(State next, WorkerState metric, WorkerStatus status, long deadline) {
        state = next;
        metrics.workerState(metric);
        deadlineNanos = deadline;
        changed.wake();
        acks.ack(status);
    }
}
