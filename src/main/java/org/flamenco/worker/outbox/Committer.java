package org.flamenco.worker.outbox;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.flamenco.worker.clock.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of captured material (thread {@code fw-outbox-commit}): group-commits queued {@link Op}s in the
 * order producers queued them.
 *
 * <p>Producers queue ops and go on; an op is committed a few milliseconds later (well inside the 100 ms of
 * worker-behaviour.md §12.1). Plain inserts linger up to {@link #LINGER} (10 ms) so that a stream of output becomes
 * one transaction rather than many small ones (each small commit rewrites the WAL's tail page); a release, an op that
 * must be synced, a waiting {@link #awaitCommitted(long)}, {@link #LINGER_MAX_WEIGHT} bytes queued or closing end the
 * lingering at once, so what the sender waits for is never delayed.
 *
 * <p>The queue and its weights are {@link PendingOps} (a log line joins the chunk at its tail), guarded by this
 * class's lock. Queuing never blocks; producers call {@link #awaitRoom()} first, before taking any lock of their own,
 * and it blocks while more than {@link #MAX_PENDING_WEIGHT} bytes are uncommitted (bounded memory). {@link OpWriter}
 * writes each transaction; one that holds an op with {@link Op#sync()} runs with {@code synchronous=FULL}, so its WAL
 * frames, and every frame before them, are fsynced before the commit returns; other transactions use
 * {@code synchronous=NORMAL} (they survive a killed process, not a power loss).
 *
 * <p>Resuming a log after overflow is this thread's job too: when deliveries bring an overflowing execution's backlog
 * down ({@link LogBacklog}), {@link #resumeDue()} wakes it, and it runs the outbox's resume step (which queues the
 * marker and the kept tail) outside its own lock. The sender never writes captured material.
 *
 * <p>This thread also checkpoints the WAL, outside any write transaction ({@link WalCheckpoints}).
 */
final class Committer implements AutoCloseable {
    static final long MAX_PENDING_WEIGHT = 8L * 1024 * 1024;
    private static final int MAX_BATCH = 20_000;
    /** How long queued plain inserts may wait for more before they are committed (the default). */
    static final Duration LINGER = Duration.ofMillis(10);
    /** Queued bytes that end lingering (keeps transactions and the pending memory modest). */
    static final long LINGER_MAX_WEIGHT = 1024L * 1024;
    /** WAL bytes written (estimated) after which the WAL is checkpointed: SQLite's default of 1000 pages. */
    static final long CHECKPOINT_BYTES = 1000L * 4096;
    /** Estimated WAL bytes of one transaction besides its rows (the pages of the tree and the header it rewrites). */
    static final long TRANSACTION_PAGES_BYTES = 4L * 4096;
    private static final Logger LOG = LoggerFactory.getLogger(Committer.class);

    /**
     * How the committer batches.
     *
     * @param linger          how long queued plain inserts may wait for more
     * @param checkpointBytes estimated WAL bytes after which the WAL is checkpointed
     */
    record Tuning(Duration linger, long checkpointBytes) {
        static final Tuning DEFAULT = new Tuning(LINGER, CHECKPOINT_BYTES);
    }

    private final OpWriter writer;
    private final Path file;
    /** Called after a commit that made material sendable. */
    private final Runnable afterRelease;
    /** The outbox's resume step for overflowing logs (queues without blocking). */
    private final Runnable resumer;
    private final long lingerNanos;
    private final WalCheckpoints checkpoints;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when something was committed or the committer stopped (producers and waiters wait on it). */
    private final Condition changed = lock.newCondition();
    /** Signalled when the committer has work: it waits on this one alone. */
    private final Condition work = lock.newCondition();
    private final PendingOps pending;
    private final Thread thread;
    private long queued;
    private long committed;
    /** {@code pending.weight() > MAX_PENDING_WEIGHT}, readable without the lock (the producers' fast path). */
    private volatile boolean congested;
    private boolean closing;
    /** The committer thread waits for an empty queue to fill. */
    private boolean idle;
    /** The committer thread lingers: only something urgent should wake it. */
    private boolean lingering;
    /** Threads in {@link #awaitCommitted(long)}. */
    private int flushWaiters;
    private boolean stopped;
    /** A delivery brought an overflowing log under its resume mark. */
    private boolean resumeDue;
    private OutboxException failure;

    /**
     * @param writeLock    held around each write transaction; shared with the {@link QueueStore} on the same file
     * @param afterRelease runs after a commit that made material sendable (wakes the sender; must not block)
     * @param resumer      the outbox's resume step for overflowing logs; runs on this thread, without its lock
     */
    Committer(Connection conn, ReentrantLock writeLock, Path file, LogChunk.Limits chunkLimits, Tuning tuning,
              Clock clock, Runnable afterRelease, Runnable resumer) {
        this.writer = new OpWriter(conn, writeLock, file, clock);
        this.lingerNanos = tuning.linger().toNanos();
        this.checkpoints = new WalCheckpoints(writer, file, tuning.checkpointBytes());
        this.file = file;
        this.pending = new PendingOps(chunkLimits);
        this.afterRelease = afterRelease;
        this.resumer = resumer;
        this.thread = new Thread(this::run, "fw-outbox-commit");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Back-pressure: blocks while more than {@link #MAX_PENDING_WEIGHT} bytes are uncommitted. Producers call it
     * before they take their own lock, so nobody waits for the disk while holding it.
     */
    void awaitRoom() throws OutboxException, InterruptedException {
        if (!congested) {
            return; // enqueue checks for failure and closing
        }
        lock.lock();
        try {
            while (pending.weight() > MAX_PENDING_WEIGHT && failure == null && !closing) {
                changed.await();
            }
            check();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues ops to be committed in one go and in order; never blocks (see {@link #awaitRoom()}).
     *
     * @return the ticket to pass to {@link #awaitCommitted(long)}
     */
    long enqueue(List<Op> ops) throws OutboxException {
        lock.lock();
        try {
            check();
            for (Op op : ops) {
                queued += op.count(); // a ticket counts elements: a chunk made by the producer holds several
                pending.add(op);
            }
            congested = pending.weight() > MAX_PENDING_WEIGHT;
            if (idle || (lingering && (pending.urgent() || pending.weight() >= LINGER_MAX_WEIGHT))) {
                work.signal();
            }
            return queued;
        } finally {
            lock.unlock();
        }
    }

    /** The ticket of everything queued so far. */
    long lastTicket() {
        lock.lock();
        try {
            return queued;
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until every op up to {@code ticket} is committed. */
    void awaitCommitted(long ticket) throws OutboxException, InterruptedException {
        lock.lock();
        try {
            flushWaiters++;
            try {
                if (lingering) {
                    work.signal();
                }
                while (committed < ticket && failure == null && !stopped) {
                    changed.await();
                }
            } finally {
                flushWaiters--;
            }
            if (committed < ticket) {
                check();
                throw new OutboxException("update queue " + file + " closed before the commit", null);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Counts a transaction the store committed on its own connection ({@code bytes}: its estimated WAL bytes) towards
     * the next checkpoint, and wakes this thread when one is due, so a queue that is only being emptied (a drain)
     * is checkpointed too.
     */
    void wroteElsewhere(long bytes) {
        if (checkpoints.wrote(bytes)) {
            lock.lock();
            try {
                if (idle) {
                    work.signal();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** A delivery brought an overflowing log under its resume mark: run the resume step soon. Never blocks. */
    void resumeDue() {
        lock.lock();
        try {
            resumeDue = true;
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Checkpoints run so far. */
    long checkpoints() {
        return checkpoints.count();
    }

    /** Inserts queued but not yet committed. */
    long pendingInserts() {
        lock.lock();
        try {
            return pending.inserts();
        } finally {
            lock.unlock();
        }
    }

    /** Commits what is queued, then stops the thread. */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            work.signal();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("Update queue committer did not stop within 10 s");
        }
    }

    private void check() throws OutboxException {
        if (failure != null) {
            throw new OutboxException(failure.getMessage(), failure);
        }
        if (closing) {
            throw new OutboxException("update queue " + file + " is closed", null);
        }
    }

    private void run() {
        try {
            commitLoop();
        } finally {
            lock.lock();
            try {
                stopped = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void commitLoop() {
        List<Op> batch = new ArrayList<>();
        while (true) {
            boolean resume;
            lock.lock();
            try {
                idle = true;
                while (pending.isEmpty() && !closing && !resumeDue && !checkpoints.due()) {
                    work.awaitUninterruptibly();
                }
                idle = false;
                if (Thread.currentThread().isInterrupted()) {
                    closing = true; // interruption means stop: commit what is queued (once), then end
                    changed.signalAll();
                }
                resume = resumeDue && !closing;
                resumeDue = false;
                if (pending.isEmpty() && closing) {
                    return; // the last connection to close checkpoints the WAL
                }
                if (!resume && !pending.isEmpty()) {
                    linger();
                    pending.takeInto(batch, MAX_BATCH);
                }
            } finally {
                lock.unlock();
            }
            if (resume) {
                resumer.run(); // queues the kept tail of an overflowing log; committed on the next turn
            } else if (batch.isEmpty()) {
                checkpoints.runIfDue(); // woken for a checkpoint alone
            } else {
                commit(batch);
            }
        }
    }

    private void commit(List<Op> batch) {
        OutboxException error = writer.writeRetrying(batch, this::isClosing);
        boolean released = batch.stream().anyMatch(op -> op instanceof Op.Release);
        finish(batch, error);
        batch.clear();
        if (released) {
            afterRelease.run(); // only a release makes anything new sendable
        }
        checkpoints.runIfDue();
    }

    /**
     * Waits (lock held) up to the linger time for more plain inserts, unless something needs committing now. The
     * linger is a timed condition wait, not a clock read: it only batches, and a fake clock must not stall commits.
     * An interrupt ends it; the flag stays set (and stops the thread after this commit).
     */
    private void linger() {
        long left = lingerNanos;
        lingering = true;
        try {
            while (left > 0 && !closing && !pending.urgent() && flushWaiters == 0
                    && pending.weight() < LINGER_MAX_WEIGHT) {
                left = work.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lingering = false;
        }
    }

    private boolean isClosing() {
        lock.lock();
        try {
            return closing;
        } finally {
            lock.unlock();
        }
    }

    private void finish(List<Op> batch, OutboxException error) {
        long walBytes = 0;
        lock.lock();
        try {
            pending.settled(batch);
            if (error == null) {
                for (Op op : batch) {
                    committed += op.count(); // a lost op is never reported committed: its waiters get the error
                    walBytes += op.weight() / 2; // the weight counts two bytes per character (memory)
                }
                checkpoints.wrote(walBytes + TRANSACTION_PAGES_BYTES);
            }
            congested = pending.weight() > MAX_PENDING_WEIGHT;
            if (error != null && failure == null) {
                failure = error;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
