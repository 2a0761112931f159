package org.flamenco.worker.embedded;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The protocol-neutral half of an embedded Manager's state: the requests received, the fault rules, the clock, and
 * the one lock that also guards the protocol's {@link JobStore}. Every change signals one condition, so waits
 * re-check their predicate after each change instead of polling. No I/O ever happens under the lock.
 */
final class ManagerState {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Clock clock;
    private long generation;

    final List<RecordedRequest> requests = new ArrayList<>();
    /** How many requests were dropped from the front of {@link #requests} ({@link LoopbackManager#forgetRequests}). */
    long forgottenRequests;
    final FaultPlan faults = new FaultPlan();

    ManagerState(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Runs {@code action} under the lock and wakes every waiter afterwards. */
    <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            T result = action.get();
            changed.signalAll();
            return result;
        } finally {
            lock.unlock();
        }
    }

    /** Runs a read-only {@code query} under the lock, without waking waiters. */
    <T> T read(Supplier<T> query) {
        lock.lock();
        try {
            return query.get();
        } finally {
            lock.unlock();
        }
    }

    void run(Runnable action) {
        locked(() -> {
            action.run();
            return null;
        });
    }

    Instant now() {
        return clock.instant();
    }

    long generation() {
        return read(() -> generation);
    }

    /** A stop happened: slow replies in flight give up. */
    void bumpGeneration() {
        run(() -> generation++);
    }

    /**
     * Waits until {@code probe} yields a value, re-checking after every change.
     *
     * @throws AwaitTimeoutException when {@code timeout} passes first; the message includes {@code describe}
     */
    <T> T await(Supplier<Optional<T>> probe, Duration timeout, Supplier<String> describe)
            throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (true) {
                Optional<T> result = probe.get();
                if (result.isPresent()) {
                    return result.get();
                }
                if (nanos <= 0) {
                    throw new AwaitTimeoutException("timed out after " + timeout + " " + describe.get());
                }
                nanos = changed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Holds a reply back for {@code delay} (slow-reply fault) without holding the lock.
     *
     * @return {@code false} when the Manager was stopped meanwhile (the reply should be abandoned)
     */
    boolean delay(Duration delay, long startGeneration) throws InterruptedException {
        lock.lock();
        try {
            long nanos = delay.toNanos();
            while (nanos > 0 && generation == startGeneration) {
                nanos = changed.awaitNanos(nanos);
            }
            return generation == startGeneration;
        } finally {
            lock.unlock();
        }
    }
}
