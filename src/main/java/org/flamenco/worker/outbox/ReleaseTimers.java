package org.flamenco.worker.outbox;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.flamenco.worker.clock.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two pending release timers of worker-behaviour.md §12.2 (one activity timer, one log timer) on thread
 * {@code fw-outbox-timer}. Time comes from the injected {@link Clock}: while a timer is pending the thread sleeps in
 * short steps so a newly set timer is noticed without interrupting a sleep (interruption means stop); while none is
 * pending it waits on this object's monitor until one is set, so an idle worker's timer thread never wakes
 * (issue 24).
 */
final class ReleaseTimers implements AutoCloseable {
    enum Slot { ACTIVITY, LOG }

    /** What a timer does when it fires; runs on the timer thread without any timer lock held. */
    interface Action {
        void fire(Slot slot, String executionId);
    }

    private static final Duration STEP = Duration.ofMillis(50);
    private static final Logger LOG = LoggerFactory.getLogger(ReleaseTimers.class);

    private final Clock clock;
    private final Action action;
    private final Thread thread;
    private final long[] deadlines = new long[Slot.values().length];
    private final String[] executions = new String[Slot.values().length];
    private boolean closed;

    ReleaseTimers(Clock clock, Action action) {
        this.clock = clock;
        this.action = action;
        this.thread = new Thread(this::run, "fw-outbox-timer");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Sets the timer unless one is pending; returns true when it was set. */
    synchronized boolean setIfIdle(Slot slot, Duration delay, String executionId) {
        if (executions[slot.ordinal()] != null || closed) {
            return false;
        }
        executions[slot.ordinal()] = executionId;
        deadlines[slot.ordinal()] = clock.nanoTime() + delay.toNanos();
        notifyAll();
        return true;
    }

    synchronized void cancel(Slot slot) {
        executions[slot.ordinal()] = null;
    }

    /** Cancels the timers that belong to {@code executionId}. */
    synchronized void cancelFor(String executionId) {
        for (int i = 0; i < executions.length; i++) {
            if (executionId.equals(executions[i])) {
                executions[i] = null;
            }
        }
    }

    synchronized boolean isPending(Slot slot) {
        return executions[slot.ordinal()] != null;
    }

    /** Stops the thread; timers that have not fired never will. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            executions[0] = null;
            executions[1] = null;
            notifyAll();
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("Update queue timer thread did not stop within 5 s");
        }
    }

    private void run() {
        try {
            while (true) {
                long now = clock.nanoTime();
                long wait = STEP.toNanos();
                for (Slot slot : Slot.values()) {
                    String due = takeIfDue(slot, now);
                    if (due != null) {
                        action.fire(slot, due);
                    }
                }
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    if (executions[0] == null && executions[1] == null) {
                        wait(); // until setIfIdle or close; a spurious wake-up only costs one more pass
                        continue;
                    }
                    for (Slot slot : Slot.values()) {
                        if (executions[slot.ordinal()] != null) {
                            wait = Math.min(wait, Math.max(0, deadlines[slot.ordinal()] - now));
                        }
                    }
                }
                clock.sleep(Duration.ofNanos(Math.max(wait, 1)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("Update queue timer thread failed", e);
        }
    }

    private synchronized String takeIfDue(Slot slot, long now) {
        String exec = executions[slot.ordinal()];
        if (exec != null && now - deadlines[slot.ordinal()] >= 0 && !closed) {
            executions[slot.ordinal()] = null;
            return exec;
        }
        return null;
    }
}
