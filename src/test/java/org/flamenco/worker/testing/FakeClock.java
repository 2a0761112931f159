package org.flamenco.worker.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.clock.Wakeup;

/**
 * A clock that moves only when a test calls {@link #advance}; {@link #sleep} and the {@link Wakeup}s it makes block
 * until then (a wakeup also until its {@code wake()}). It knows which threads wait on it, so a test can let the
 * worker's threads settle ({@link #isWaiting}) before it moves time: every step is deterministic. Thread-safe.
 */
public final class FakeClock implements Clock {
    private Instant wall;
    private long nanos;
    private int sleepers;
    /** Threads blocked in a sleep or a wakeup, with their deadline; a thread leaves when its wait is over. */
    private final Map<Thread, Long> waiting = new HashMap<>();

    public FakeClock() {
        this(Instant.parse("2026-03-12T10:00:00Z"));
    }

    public FakeClock(Instant start) {
        this.wall = start;
        this.nanos = 1_000_000_000L;
    }

    @Override
    public synchronized Instant now() {
        return wall;
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public synchronized void sleep(Duration duration) throws InterruptedException {
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        long target = nanos + duration.toNanos();
        sleepers++;
        try {
            waitUntil(target, () -> false);
        } finally {
            sleepers--;
        }
    }

    @Override
    public Wakeup newWakeup() {
        return new FakeWakeup();
    }

    /** Moves both wall and monotonic time forward and wakes sleepers and waiters whose time has come. */
    public synchronized void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time only moves forward: " + duration);
        }
        nanos += duration.toNanos();
        wall = wall.plus(duration);
        waiting.values().removeIf(deadline -> deadline <= nanos); // they are on their way out of the wait
        notifyAll();
    }

    /** Sets the wall time only (monotonic time is unaffected). */
    public synchronized void setWall(Instant instant) {
        wall = instant;
    }

    /** Threads currently blocked in {@link #sleep}. */
    public synchronized int sleepers() {
        return sleepers;
    }

    /**
     * True when the thread named {@code threadName} waits on this clock (a sleep or a wakeup) and nothing has ended
     * its wait yet: it has done everything it can do at the current time.
     */
    public synchronized boolean isWaiting(String threadName) {
        return waiting.keySet().stream().anyMatch(t -> t.getName().equals(threadName));
    }

    /** Nanoseconds from now to the earliest deadline a waiting thread waits for; empty when none has one. */
    public synchronized java.util.OptionalLong nextDeadlineIn() {
        return waiting.values().stream().filter(d -> d != Long.MAX_VALUE).mapToLong(d -> d - nanos).min();
    }

    private interface Woken {
        boolean getAsBoolean();
    }

    /** Waits (holding this monitor) until {@code deadline} or {@code woken}; the caller holds the monitor. */
    private void waitUntil(long deadline, Woken woken) throws InterruptedException {
        Thread me = Thread.currentThread();
        try {
            while (nanos < deadline && !woken.getAsBoolean()) {
                waiting.put(me, deadline);
                wait();
            }
        } finally {
            waiting.remove(me);
        }
    }

    /** A wakeup on fake time: its permit is guarded by the clock's monitor. */
    private final class FakeWakeup implements Wakeup {
        private boolean woken;
        private Thread waiter;

        @Override
        public boolean awaitUntil(long deadlineNanos) throws InterruptedException {
            synchronized (FakeClock.this) {
                waiter = Thread.currentThread();
                try {
                    waitUntil(deadlineNanos, () -> woken);
                } finally {
                    waiter = null;
                }
                boolean wasWoken = woken;
                woken = false;
                return wasWoken;
            }
        }

        @Override
        public void await() throws InterruptedException {
            awaitUntil(Long.MAX_VALUE);
        }

        @Override
        public void wake() {
            synchronized (FakeClock.this) {
                woken = true;
                if (waiter != null) {
                    waiting.remove(waiter); // on its way out of the wait
                }
                FakeClock.this.notifyAll();
            }
        }
    }
}
