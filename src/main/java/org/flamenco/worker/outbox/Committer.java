package org.flamenco.worker.outbox;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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
 * <p>A log line that directly follows the {@link LogChunk} at the tail of the queue joins it instead of becoming an op
 * of its own, so a burst of output is written as a few rows. When more than {@link #MAX_PENDING_WEIGHT} bytes are
 * uncommitted, queuing blocks (bounded memory). A transaction that holds an op with {@link Op#sync()} runs with
 * {@code synchronous=FULL}, so its WAL frames, and every frame before them, are fsynced before the commit returns;
 * other transactions use {@code synchronous=NORMAL} (they survive a killed process, not a power loss).
 *
 * <p>This thread also checkpoints the WAL, outside any write transaction: neither connection checkpoints on commit
 * ({@code wal_autocheckpoint = 0}, {@link QueueDatabase#connect}). SQLite's automatic checkpoint runs inside the
 * commit that fills the WAL, with two fsyncs; the sender's removal of a delivered update was often that commit, so
 * the next request waited for the disk, and a commit of captured output held the write turn (see {@link QueueStore})
 * through it. Once about {@link #CHECKPOINT_BYTES} have been written since the last checkpoint, by this thread or by
 * the store ({@link #wroteElsewhere}), the thread runs a passive checkpoint, which lets both go on writing meanwhile.
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
    private static final Logger log = LoggerFactory.getLogger(Committer.class);
    private static final String INSERT = "INSERT INTO task_update_outbox (seq, task_id, execution_id, sendable, kind,"
            + " silently_aborting, status_change, final_status, payload, captured_at_micros, attempts, push_id, lines,"
            + " log_bytes, stamp) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, 0, NULL, ?, ?, ?)";
    private static final String RELEASE = "UPDATE task_update_outbox SET sendable = 1, push_id = ?"
            + " WHERE seq >= ? AND seq <= ? AND execution_id = ? AND sendable = 0";

    private final Connection conn;
    private final Path file;
    private final LogChunk.Limits chunkLimits;
    /** Called after a commit that made material sendable. */
    private final Runnable afterCommit;
    private final long lingerNanos;
    private final long checkpointBytes;
    /** Held around each write transaction; shared with the sender's {@link QueueStore} (see there). */
    private final ReentrantLock writeLock;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when something was committed or the committer stopped (producers and waiters wait on it). */
    private final Condition changed = lock.newCondition();
    /** Signalled when the committer has work: it waits on this one alone. */
    private final Condition work = lock.newCondition();
    private final ArrayDeque<Op> queue = new ArrayDeque<>();
    private final Thread thread;
    private long queued;
    private long committed;
    private long pendingWeight;
    private long pendingInserts;
    private boolean closing;
    /** The committer thread waits for an empty queue to fill. */
    private boolean idle;
    /** The committer thread lingers: only something urgent should wake it. */
    private boolean lingering;
    /** A release or an op to sync is queued. */
    private boolean urgentQueued;
    /** Threads in {@link #awaitCommitted(long)}. */
    private int flushWaiters;
    private boolean stopped;
    private OutboxException failure;
    /** Estimated WAL bytes written since the last checkpoint, by this committer and by the store. */
    private long walBytes;
    private long checkpoints;
    private boolean checkpointFailing;

    Committer(Connection conn, ReentrantLock writeLock, Path file, LogChunk.Limits chunkLimits, Duration linger,
              Runnable afterCommit) {
        this(conn, writeLock, file, chunkLimits, linger, afterCommit, CHECKPOINT_BYTES);
    }

    /** With another checkpoint threshold (tests). */
    Committer(Connection conn, ReentrantLock writeLock, Path file, LogChunk.Limits chunkLimits, Duration linger,
              Runnable afterCommit, long checkpointBytes) {
        this.lingerNanos = linger.toNanos();
        this.checkpointBytes = checkpointBytes;
        this.writeLock = writeLock;
        this.conn = conn;
        this.file = file;
        this.chunkLimits = chunkLimits;
        this.afterCommit = afterCommit;
        this.thread = new Thread(this::run, "fw-outbox-commit");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Queues ops to be committed in one go and in order; blocks while too much is uncommitted.
     *
     * @return the ticket to pass to {@link #awaitCommitted(long)}
     */
    long enqueue(List<Op> ops, boolean mayBlock) throws OutboxException, InterruptedException {
        lock.lock();
        try {
            while (mayBlock && pendingWeight > MAX_PENDING_WEIGHT && failure == null && !closing) {
                changed.await();
            }
            check();
            for (Op op : ops) {
                queued += op.count(); // a ticket counts elements: a chunk made by the producer holds several
                if (op instanceof Op.Insert in && in.kind() == Op.Kind.LOG) {
                    // A log line joins the chunk at the tail of the queue when it follows it directly.
                    if (queue.peekLast() instanceof LogChunk tail) {
                        long before = tail.weight();
                        if (tail.add(in)) {
                            pendingWeight += tail.weight() - before;
                            pendingInserts++;
                            continue;
                        }
                    }
                    op = new LogChunk(in, chunkLimits);
                }
                queue.add(op);
                pendingWeight += op.weight();
                pendingInserts += op.inserts();
                urgentQueued |= isUrgent(op);
            }
            if (idle || (lingering && (urgentQueued || pendingWeight >= LINGER_MAX_WEIGHT))) {
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
        lock.lock();
        try {
            walBytes += bytes;
            if (idle && walBytes >= checkpointBytes) {
                work.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Checkpoints run so far. */
    long checkpoints() {
        lock.lock();
        try {
            return checkpoints;
        } finally {
            lock.unlock();
        }
    }

    /** Inserts queued but not yet committed. */
    long pendingInserts() {
        lock.lock();
        try {
            return pendingInserts;
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
            log.warn("Update queue committer did not stop within 10 s");
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
            lock.lock();
            try {
                idle = true;
                while (queue.isEmpty() && !closing && walBytes < checkpointBytes) {
                    work.awaitUninterruptibly();
                }
                idle = false;
                if (queue.isEmpty() && closing) {
                    return; // the last connection to close checkpoints the WAL
                }
                if (!queue.isEmpty()) {
                    linger();
                    while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
                        batch.add(queue.poll());
                    }
                    urgentQueued = queue.stream().anyMatch(Committer::isUrgent);
                }
            } finally {
                lock.unlock();
            }
            if (batch.isEmpty()) {
                checkpointIfDue(); // woken for a checkpoint alone
                continue;
            }
            OutboxException error = writeRetrying(batch);
            boolean released = batch.stream().anyMatch(op -> op instanceof Op.Release);
            finish(batch, error);
            batch.clear();
            if (released) {
                afterCommit.run(); // only a release makes anything new sendable
            }
            checkpointIfDue();
        }
    }

    /** A passive checkpoint once enough was written; the write turn is not held, so the store may write meanwhile. */
    private void checkpointIfDue() {
        lock.lock();
        try {
            if (walBytes < checkpointBytes) {
                return;
            }
            walBytes = 0;
        } finally {
            lock.unlock();
        }
        boolean failed = false;
        try (Statement st = conn.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException e) {
            failed = true;
            // Nothing is lost: the WAL keeps the data and grows until a later checkpoint succeeds.
            if (!checkpointFailing) {
                log.warn("Cannot checkpoint the update queue {} ({}); retrying after the next writes", file,
                        QueueDatabase.reason(e));
            }
        }
        lock.lock();
        try {
            checkpoints++;
            checkpointFailing = failed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes {@code batch}; while the file system refuses (a full disk, an I/O error) the batch is kept and written
     * again with growing pauses, so nothing captured is lost while the worker runs: producers block once
     * {@link #MAX_PENDING_WEIGHT} bytes wait, which stalls the task's output instead of dropping it. Gives up only
     * on a lasting error of another kind or when closing.
     *
     * @return null when written, else the error that ends this queue
     */
    private OutboxException writeRetrying(List<Op> batch) {
        long failingSince = -1;
        for (int attempt = 1; ; attempt++) {
            try {
                write(batch);
                if (failingSince >= 0) {
                    log.info("Update queue {} is writable again after {} s; nothing captured was lost", file,
                            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - failingSince));
                }
                return null;
            } catch (SQLException e) {
                boolean retry = QueueDatabase.isTransient(e) && !isClosing();
                if (!retry) {
                    long lost = batch.stream().mapToLong(Op::count).sum();
                    log.error("Cannot write to the update queue {} ({}); {} captured updates are lost", file,
                            QueueDatabase.reason(e), lost, e);
                    return new OutboxException("cannot write to update queue " + file + ": "
                            + QueueDatabase.reason(e), e);
                }
                if (failingSince < 0) {
                    failingSince = System.nanoTime();
                    log.error("Cannot write to the update queue {} ({}); keeping what was captured in memory and"
                            + " retrying; the task's output waits once {} MiB are pending", file,
                            QueueDatabase.reason(e), MAX_PENDING_WEIGHT >> 20);
                } else {
                    log.debug("Update queue {} still not writable (attempt {}): {}", file, attempt,
                            QueueDatabase.reason(e));
                }
                pauseBeforeRetry(Duration.ofMillis(Math.min(30_000L, 250L << Math.min(attempt - 1, 7))));
            }
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

    /** Sleeps up to {@code d}; closing ends the pause (the next attempt is then the last). */
    private void pauseBeforeRetry(Duration d) {
        lock.lock();
        try {
            long left = d.toNanos();
            while (!closing && left > 0) {
                left = work.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            // Nobody interrupts this thread; if someone does, retry now rather than spin on a set flag.
        } finally {
            lock.unlock();
        }
    }

    /** Waits (lock held) up to the linger time for more plain inserts, unless something needs committing now. */
    private void linger() {
        long end = System.nanoTime() + lingerNanos;
        lingering = true;
        try {
            while (!closing && !urgentQueued && flushWaiters == 0 && pendingWeight < LINGER_MAX_WEIGHT) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                work.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            // Nobody interrupts this thread; if someone does, commit now and stay responsive.
        } finally {
            lingering = false;
        }
    }

    private static boolean isUrgent(Op op) {
        return op instanceof Op.Release || op.sync();
    }

    private void finish(List<Op> batch, OutboxException error) {
        lock.lock();
        try {
            for (Op op : batch) {
                pendingWeight -= op.weight();
                pendingInserts -= op.inserts();
                if (error == null) {
                    committed += op.count(); // a lost op is never reported committed: its waiters get the error
                    walBytes += op.weight() / 2; // the weight counts two bytes per character (memory)
                }
            }
            if (error == null) {
                walBytes += TRANSACTION_PAGES_BYTES;
            }
            if (error != null && failure == null) {
                failure = error;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Writes one transaction: inserts (a {@link LogChunk} is one row) and releases, in queue order. */
    private void write(List<Op> batch) throws SQLException {
        writeLock.lock();
        try {
            writeLocked(batch);
        } finally {
            writeLock.unlock();
        }
    }

    private void writeLocked(List<Op> batch) throws SQLException {
        boolean sync = batch.stream().anyMatch(Op::sync);
        try (Statement st = conn.createStatement();
             PreparedStatement insert = conn.prepareStatement(INSERT);
             PreparedStatement release = conn.prepareStatement(RELEASE)) {
            if (sync) {
                st.execute("PRAGMA synchronous = FULL");
            }
            st.execute("BEGIN IMMEDIATE");
            try {
                int inserts = 0;
                for (Op op : batch) {
                    if (op instanceof Op.Insert in) {
                        bindInsert(insert, in, in.payload(), 1, in.logBytes(), null);
                        insert.addBatch();
                        inserts++;
                    } else if (op instanceof LogChunk chunk) {
                        bindInsert(insert, chunk.first(), chunk.payload(), chunk.lines(), chunk.logBytes(),
                                chunk.stamp());
                        insert.addBatch();
                        inserts++;
                    } else if (op instanceof Op.Release r) {
                        if (inserts > 0) {
                            insert.executeBatch();
                            inserts = 0;
                        }
                        release.setLong(1, r.pushId());
                        release.setLong(2, r.fromSeq());
                        release.setLong(3, r.toSeq());
                        release.setString(4, r.executionId());
                        release.executeUpdate();
                    }
                }
                if (inserts > 0) {
                    insert.executeBatch();
                }
                st.execute("COMMIT");
            } catch (SQLException e) {
                QueueDatabase.rollback(st, e);
                throw e;
            } finally {
                if (sync) {
                    st.execute("PRAGMA synchronous = NORMAL");
                }
            }
        }
    }

    private static void bindInsert(PreparedStatement ps, Op.Insert in, String payload, int lines, long logBytes,
                                   String stamp) throws SQLException {
        ps.setLong(1, in.seq());
        ps.setString(2, in.taskId());
        ps.setString(3, in.executionId());
        ps.setString(4, in.kind().column());
        ps.setInt(5, in.silent() ? 1 : 0);
        ps.setInt(6, in.statusChange() ? 1 : 0);
        ps.setInt(7, in.finalStatus() ? 1 : 0);
        ps.setString(8, payload);
        ps.setLong(9, in.capturedMicros());
        ps.setInt(10, lines);
        ps.setLong(11, logBytes);
        ps.setString(12, stamp);
    }
}
