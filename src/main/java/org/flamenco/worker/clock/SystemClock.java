package org.flamenco.worker.clock;

import java.time.Duration;
import java.time.Instant;

/** The real clock. */
public final class SystemClock implements Clock {
    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (!duration.isNegative() && !duration.isZero()) {
            Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
        }
    }

    @Override
    public Wakeup newWakeup() {
        return new MonitorWakeup(this);
    }
}
