package org.flamenco.worker.clock;

import java.time.Duration;
import java.time.Instant;

/**
 * Time as the worker sees it: wall time for timestamps, monotonic time for every wait and interval, an interruptible
 * sleep, and {@link Wakeup}s for waits that another thread may end early. Thread-safe. Tests use a fake that
 * advances on demand and wakes the sleepers and waiters whose time has come.
 */
public interface Clock {
    /** Wall-clock time, for timestamps that leave the process (log line prefixes, JWT claims). */
    Instant now();

    /** Monotonic nanoseconds, for measuring intervals; only differences are meaningful. */
    long nanoTime();

    /** Sleeps for {@code duration} (returns at once when it is zero or negative). */
    void sleep(Duration duration) throws InterruptedException;

    /** A new wait point on this clock's monotonic time, for one component's waiting thread. */
    Wakeup newWakeup();
}
