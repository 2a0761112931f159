package org.flamenco.worker.agent;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.clock.Wakeup;
import org.flamenco.worker.manager.CredentialsGuard;
import org.flamenco.worker.manager.ManagerApi;
import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.manager.MayKeepRunning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks {@code GET /may-i-run/<task>} every interval while a task runs (worker-behaviour.md §9), and at once after a
 * 409 on an update of that task. Survives every answer: only {@link #close()} ends it. A "no" is handed to the
 * listener given with the task, which stops it (protocol-v2.md §3.6). Thread {@code fw-may-i-run}; it waits for its
 * next poll on a {@link Wakeup} of the clock.
 */
public final class MayIRunPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MayIRunPoller.class);

    /** Receives a "no" for the task being watched. */
    interface Listener {
        void revoked(String taskId, MayKeepRunning answer);
    }

    private final ManagerApi manager;
    private final CredentialsGuard guard;
    private final Clock clock;
    private final Duration interval;
    private final ReentrantLock lock = new ReentrantLock();
    private final Wakeup changed;
    private final Thread thread;
    private String watched;
    private Listener listener;
    private long nextPollNanos;
    private boolean closed;
    private boolean failing;

    /** @param interval between two checks of the running task ({@code may_i_run_interval}) */
    public MayIRunPoller(ManagerApi manager, CredentialsGuard guard, Clock clock, Duration interval) {
        this.manager = Objects.requireNonNull(manager, "manager");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.changed = clock.newWakeup();
        this.thread = new Thread(this::loop, "fw-may-i-run");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Starts watching {@code taskId}; the first poll comes one interval later, a "no" goes to {@code onNo}. */
    void watch(String taskId, Listener onNo) {
        lock.lock();
        try {
            watched = taskId;
            listener = Objects.requireNonNull(onNo, "onNo");
            nextPollNanos = clock.nanoTime() + interval.toNanos();
            changed.wake();
        } finally {
            lock.unlock();
        }
    }

    void unwatch() {
        lock.lock();
        try {
            watched = null;
            listener = null;
            changed.wake();
        } finally {
            lock.unlock();
        }
    }

    /** A 409 arrived for {@code taskId}: ask now if it is the watched task. Any thread (the sender's). */
    public void checkNow(String taskId) {
        lock.lock();
        try {
            if (taskId.equals(watched)) {
                nextPollNanos = clock.nanoTime();
                changed.wake();
            }
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        try {
            while (true) {
                Watch due = awaitDue();
                if (due == null) {
                    return;
                }
                poll(due.taskId(), due.listener());
            }
        } catch (InterruptedException e) {
            // close(): the poller ends
        }
    }

    /** The task to ask about and who hears a "no". */
    private record Watch(String taskId, Listener listener) {
    }

    /** Waits (outside the lock) until a watched task's poll is due; null once closed. */
    private Watch awaitDue() throws InterruptedException {
        while (true) {
            long deadline;
            lock.lock();
            try {
                if (closed) {
                    return null;
                }
                if (watched != null && clock.nanoTime() >= nextPollNanos) {
                    nextPollNanos = clock.nanoTime() + interval.toNanos();
                    return new Watch(watched, listener);
                }
                deadline = watched == null ? Long.MAX_VALUE : nextPollNanos;
            } finally {
                lock.unlock();
            }
            if (deadline == Long.MAX_VALUE) {
                changed.await();
            } else {
                changed.awaitUntil(deadline);
            }
        }
    }

    private boolean isWatching(String taskId) {
        lock.lock();
        try {
            return !closed && taskId.equals(watched);
        } finally {
            lock.unlock();
        }
    }

    private void poll(String taskId, Listener listener) {
        try {
            MayKeepRunning answer = manager.mayIRun(taskId);
            recovered();
            if (!answer.mayKeepRunning()) {
                LOG.warn("Manager says we may not keep running task {}: {}", taskId, answer.reason());
                listener.revoked(taskId, answer);
            }
        } catch (ManagerException e) {
            if (e.isAuthFailure()) {
                try {
                    guard.onUnauthorized(Duration.ZERO);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            if (!isWatching(taskId)) {
                // The task ended (or shutdown began) while the check was in flight: nothing keeps running.
                LOG.debug("May-I-Run check for task {}, which is no longer running, got no answer: {}", taskId,
                        e.getMessage());
            } else if (!failing) {
                failing = true;
                LOG.warn("May-I-Run check for task {} got no answer ({}); the task keeps running", taskId,
                        e.getMessage());
            } else {
                LOG.debug("May-I-Run check for task {} still failing: {}", taskId, e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.error("Unexpected error in the May-I-Run poller; it keeps running", e);
        }
    }

    private void recovered() {
        if (failing) {
            failing = false;
            LOG.info("May-I-Run checks answered again");
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.wake();
        } finally {
            lock.unlock();
        }
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
