package org.flamenco.worker.outbox;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import org.flamenco.worker.clock.Backoff;
import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.clock.DurationText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one group commit of the {@link Committer}: inserts (a {@link LogChunk} is one row) and releases, in queue
 * order, in one transaction on the committer's connection, holding the write turn it shares with the
 * {@link QueueStore}. A transaction that holds an op with {@link Op#sync()} runs with {@code synchronous=FULL}.
 * While the file system refuses, {@link #writeRetrying} keeps the batch and tries again after {@link #WRITE_RETRY}
 * pauses on the clock. Used by the committer thread only.
 */
final class OpWriter {
    /** Pauses between attempts to write while the file system refuses (a full disk): 0.25 s doubling to 30 s. */
    static final Backoff WRITE_RETRY = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30));
    /** No jitter: one writer per file, nobody to spread out from. */
    private static final double NO_JITTER = 0.5;
    /** Longest single sleep of a retry pause, so closing cuts it short. */
    private static final Duration PAUSE_STEP = Duration.ofMillis(50);
    private static final Logger LOG = LoggerFactory.getLogger(Committer.class); // one log for the commit thread
    private static final String INSERT = "INSERT INTO task_update_outbox (seq, task_id, execution_id, sendable, kind,"
            + " silently_aborting, status_change, final_status, payload, captured_at_micros, attempts, push_id, lines,"
            + " log_bytes, stamp) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, 0, NULL, ?, ?, ?)";
    private static final String RELEASE = "UPDATE task_update_outbox SET sendable = 1, push_id = ?"
            + " WHERE seq >= ? AND seq <= ? AND execution_id = ? AND sendable = 0";

    private final Connection conn;
    private final ReentrantLock writeLock;
    private final Path file;
    private final Clock clock;

    OpWriter(Connection conn, ReentrantLock writeLock, Path file, Clock clock) {
        this.conn = conn;
        this.writeLock = writeLock;
        this.file = file;
        this.clock = clock;
    }

    /**
     * Writes {@code batch}; while the file system refuses (a full disk, an I/O error) the batch is kept and written
     * again after {@link #WRITE_RETRY} pauses, so nothing captured is lost while the worker runs: producers block
     * once {@link Committer#MAX_PENDING_WEIGHT} bytes wait, which stalls the task's output instead of dropping it.
     * Gives up only on a lasting error of another kind, when closing, or when this thread is interrupted (which means
     * stop: the flag stays set and the queue closes).
     *
     * @return null when written, else the error that ends this queue
     */
    OutboxException writeRetrying(List<Op> batch, BooleanSupplier closing) {
        long failingSince = -1;
        for (int attempt = 1; ; attempt++) {
            try {
                write(batch);
                if (failingSince >= 0) {
                    LOG.info("Update queue {} is writable again after {}; nothing captured was lost", file,
                            DurationText.compact(Duration.ofNanos(clock.nanoTime() - failingSince)));
                }
                return null;
            } catch (SQLException e) {
                boolean stop = closing.getAsBoolean() || Thread.currentThread().isInterrupted();
                if (stop || !QueueDatabase.isTransient(e)) {
                    return lost(batch, e);
                }
                if (failingSince < 0) {
                    failingSince = clock.nanoTime();
                    LOG.error("Cannot write to the update queue {} ({}); keeping what was captured in memory and"
                            + " retrying; the task's output waits once {} MiB are pending", file,
                            QueueDatabase.reason(e), Committer.MAX_PENDING_WEIGHT >> 20);
                } else {
                    LOG.debug("Update queue {} still not writable (attempt {}): {}", file, attempt,
                            QueueDatabase.reason(e));
                }
                pauseBeforeRetry(WRITE_RETRY.delay(attempt, () -> NO_JITTER), closing);
            }
        }
    }

    private OutboxException lost(List<Op> batch, SQLException e) {
        long lost = batch.stream().mapToLong(Op::count).sum();
        LOG.error("Cannot write to the update queue {} ({}); {} captured updates are lost", file,
                QueueDatabase.reason(e), lost, e);
        return new OutboxException("cannot write to update queue " + file + ": " + QueueDatabase.reason(e), e);
    }

    /**
     * Sleeps {@code d} on the clock in short steps, so closing cuts it short (the next attempt is then the last). An
     * interrupt ends the pause and stays set: the next attempt is the last one too.
     */
    private void pauseBeforeRetry(Duration d, BooleanSupplier closing) {
        long deadline = clock.nanoTime() + d.toNanos();
        try {
            for (long left = d.toNanos(); left > 0 && !closing.getAsBoolean(); left = deadline - clock.nanoTime()) {
                clock.sleep(Duration.ofNanos(Math.min(left, PAUSE_STEP.toNanos())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }


    /** Writes {@code batch} in one transaction; on failure nothing of it is written. */
    void write(List<Op> batch) throws SQLException {
        writeLock.lock();
        try {
            writeLocked(batch);
        } finally {
            writeLock.unlock();
        }
    }

    /** A passive checkpoint of the WAL (not inside the write turn: the store may write meanwhile). */
    void checkpoint() throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(PASSIVE)");
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
                writeOps(batch, insert, release);
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

    private static void writeOps(List<Op> batch, PreparedStatement insert, PreparedStatement release)
            throws SQLException {
        int inserts = 0;
        for (Op op : batch) {
            if (op instanceof Op.Insert in) {
                bindInsert(insert, in, in.payload(), 1, in.logBytes(), null);
                insert.addBatch();
                inserts++;
            } else if (op instanceof LogChunk chunk) {
                bindInsert(insert, chunk.first(), chunk.payload(), chunk.lines(), chunk.logBytes(), chunk.stamp());
                insert.addBatch();
                inserts++;
            } else if (op instanceof Op.Release r) {
                if (inserts > 0) {
                    insert.executeBatch(); // the rows it releases must be in the table first
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
