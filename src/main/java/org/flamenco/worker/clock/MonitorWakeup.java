package org.flamenco.worker.clock;

import java.util.Objects;

/**
 * {@link Wakeup} for the system clock: a permit and a monitor, waited on in real time for what is left of the
 * deadline on {@code clock}. Also fits a test clock whose time moves by itself (its sleeps advance it).
 */
public final class MonitorWakeup implements Wakeup {
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final Clock clock;
    private boolean woken; // guarded by this

    public MonitorWakeup(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized boolean awaitUntil(long deadlineNanos) throws InterruptedException {
        long left = deadlineNanos - clock.nanoTime();
        while (!woken && left > 0) {
            wait(left / NANOS_PER_MILLI, (int) (left % NANOS_PER_MILLI));
            left = deadlineNanos - clock.nanoTime();
        }
        boolean wasWoken = woken;
        woken = false;
        return wasWoken;
    }

    @Override
    public synchronized void await() throws InterruptedException {
        while (!woken) {
            wait();
        }
        woken = false;
    }

    @Override
    public synchronized void wake() {
        woken = true;
        notifyAll();
    }
}
