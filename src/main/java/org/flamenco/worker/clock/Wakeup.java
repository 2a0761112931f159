package org.flamenco.worker.clock;

/**
 * Where one thread waits on its {@link Clock}: until a monotonic deadline passes, or until another thread calls
 * {@link #wake()}. A wake that comes while nobody waits is kept (one permit, like {@code LockSupport.unpark}), so a
 * component may check its state under its own lock, release the lock and then wait without losing a wake-up that
 * came in between; the waiter never holds the component's lock while it waits. Made by {@link Clock#newWakeup()}:
 * the system clock waits on a monitor in real time, a test clock until the test moves its time. Thread-safe; meant
 * for one waiting thread at a time.
 */
public interface Wakeup {
    /**
     * Waits until {@link Clock#nanoTime()} reaches {@code deadlineNanos} or {@link #wake()} is called; returns at
     * once (consuming the permit) when a wake is pending. May return early: callers re-check their condition.
     *
     * @return true when a wake ended the wait
     * @throws InterruptedException when the waiting thread is interrupted (the permit is kept)
     */
    boolean awaitUntil(long deadlineNanos) throws InterruptedException;

    /** As {@link #awaitUntil} without a deadline: waits for {@link #wake()} only. */
    void await() throws InterruptedException;

    /** Ends the current wait, or the next one when nobody waits now. Never blocks for long; any thread. */
    void wake();
}
