package org.flamenco.worker.testing;

import java.time.Duration;
import java.time.Instant;

import org.flamenco.worker.clock.Clock;

/** A clock that moves only when a test calls {@link #advance}; {@link #sleep} blocks until then. Thread-safe. */
public final class FakeClock implements Clock {
    private Instant wall;
    private long nanos;
    private int sleepers;

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
            while (nanos < target) {
                wait();
            }
        } finally {
            sleepers--;
        }
    }

    /** Moves both wall and monotonic time forward and wakes sleepers whose time has come. */
    public synchronized void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time only moves forward: " + duration);
        }
        nanos += duration.toNanos();
        wall = wall.plus(duration);
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
}
