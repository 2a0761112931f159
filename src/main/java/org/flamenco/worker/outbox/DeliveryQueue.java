package org.flamenco.worker.outbox;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

import org.flamenco.worker.clock.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender's narrow view of the queue (worker-behaviour.md §13.4–§13.6): take the next group, then settle it —
 * delivered, dead-lettered, its execution dropped, or a failed attempt counted. Each settlement is one transaction
 * on the store's own connection; the removed log bytes are subtracted from the {@link LogBacklog} and threads in
 * {@link #awaitRemoval} are woken.
 *
 * <p>Nothing here calls back into {@link SqliteOutbox}: a log line travels one way, from capture through the
 * {@link Committer} into the file and from here into a request. Resuming an overflowing log after a removal is the
 * committer's job ({@link LogBacklog}). Thread-safe; the sender and its read-ahead are its users.
 */
final class DeliveryQueue {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryQueue.class);

    private final QueueStore store;
    private final LogBacklog backlog;
    private final SendableSignal sendable;
    private final int maxLines;
    private final LongSupplier pendingInserts;
    private final Clock clock;
    private final Object removals = new Object();

    /**
     * @param maxLines       {@code push_log_max_entries}: the most log lines in one group
     * @param pendingInserts elements captured but not yet committed (they count as queued)
     */
    DeliveryQueue(QueueStore store, LogBacklog backlog, SendableSignal sendable, int maxLines,
                  LongSupplier pendingInserts, Clock clock) {
        this.store = store;
        this.backlog = backlog;
        this.sendable = sendable;
        this.maxLines = maxLines;
        this.pendingInserts = pendingInserts;
        this.clock = clock;
    }

    /** The head group (at most {@code maxLogBytes} of log), or empty when nothing is sendable yet. */
    Optional<Batch> head(long maxLogBytes) throws OutboxException {
        sendable.lower(); // a release committed after this read raises it again
        return store.nextBatch(maxLines, maxLogBytes);
    }

    /** The group after {@code current}, read while {@code current} is being sent (see {@link QueueStore}). */
    Optional<Batch> after(Batch current, long maxLogBytes) throws OutboxException {
        return store.nextBatchAfter(current, maxLines, maxLogBytes);
    }

    /** Blocks until something may have become sendable (or {@link #wakeSender()}). */
    void awaitSendable() throws InterruptedException {
        sendable.await();
    }

    /** Ends the sender's {@link #awaitSendable()} now. */
    void wakeSender() {
        sendable.raise();
    }

    /** The Manager has {@code b} (or there was nothing to send): removes it. */
    void delivered(Batch b) throws OutboxException {
        store.delete(b);
        removed(b.executionId(), b.logBytes());
    }

    /** Moves {@code b} to the dead letters with the Manager's answer. */
    void deadLetter(Batch b, int status, String reply) throws OutboxException {
        String abbreviated = reply.length() <= 200 ? reply : reply.substring(0, 200);
        store.deadLetter(b, status, abbreviated, SqliteOutbox.micros(clock.now()));
        removed(b.executionId(), b.logBytes());
    }

    /** Removes everything queued for {@code executionId}; returns how many elements. */
    long dropExecution(String executionId) throws OutboxException {
        long n = store.dropExecution(executionId);
        backlog.cleared(executionId);
        notifyRemovals();
        return n;
    }

    /** Counts a failed attempt on {@code b} and keeps it at the head. */
    void recordFailure(Batch b, String error) throws OutboxException {
        store.recordFailure(b, error);
    }

    /** The queue's depth (§13.6); a queue that cannot be read reports itself as blocking. */
    QueueState state() {
        try {
            QueueStore.Counts c = store.counts();
            Duration age = Duration.ZERO;
            if (c.oldestMicros() >= 0) {
                age = Duration.ofNanos(Math.max(0, (SqliteOutbox.micros(clock.now()) - c.oldestMicros()) * 1000));
            }
            return new QueueState(c.elements() + pendingInserts.getAsLong(), c.pushes(), c.finalPending(), age,
                    c.bytes());
        } catch (OutboxException e) {
            // Unknown state: report it as blocking, so no new task is fetched on top of a broken queue.
            LOG.error("Cannot read the update queue state", e);
            return new QueueState(-1, Integer.MAX_VALUE, true, Duration.ZERO);
        }
    }

    boolean hasSendable(String taskId) throws OutboxException {
        return store.hasSendable(taskId);
    }

    boolean isEmpty() throws OutboxException {
        return store.isEmpty();
    }

    /** Waits up to {@code millis} for the next removal (an event wait; callers re-check their condition). */
    void awaitRemoval(long millis) throws InterruptedException {
        synchronized (removals) {
            removals.wait(millis);
        }
    }

    private void removed(String executionId, long logBytes) {
        backlog.removed(executionId, logBytes);
        notifyRemovals();
    }

    private void notifyRemovals() {
        synchronized (removals) {
            removals.notifyAll();
        }
    }
}
