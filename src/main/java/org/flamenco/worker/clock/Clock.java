package org.flamenco.worker.clock;

import java.time.Duration;
import java.time.Instant;

/**
 * Time as the worker sees it: wall time for timestamps, monotonic time for every wait and interval, and an
 * interruptible sleep. Thread-safe. Tests use a fake that advances on demand.
 */
public interface Clock {
    /** Wall-clock time, for timestamps that leave the process (log line prefixes, JWT claims). */
    Instant now();

    /** Monotonic nanoseconds, for measuring intervals; only differences are meaningful. */
    long nanoTime();

    /** Sleeps for {@code duration} (returns at once when it is zero or negative). */
    void sleep(Duration duration) throws InterruptedException;
}
