package org.flamenco.worker.manager.v2;

import java.time.Duration;
import java.time.Instant;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.clock.SystemClock;

/** Wall time fixed at a chosen instant that a test may move (for JWT claims); monotonic time and sleep are real. */
final class TestClock implements Clock {
    private volatile Instant now;
    private final SystemClock real = new SystemClock();

    TestClock(Instant now) {
        this.now = now;
    }

    @Override
    public Instant now() {
        return now;
    }

    /** Moves wall time by {@code duration} (monotonic time is unaffected). */
    void advanceWall(Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public long nanoTime() {
        return real.nanoTime();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        real.sleep(duration);
    }

    @Override
    public org.flamenco.worker.clock.Wakeup newWakeup() {
        return new org.flamenco.worker.clock.MonitorWakeup(this);
    }
}
