package org.flamenco.worker.outbox;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

import org.flamenco.worker.model.ActivitySnapshot;

/**
 * The sender's side of the queue file, on its own connection: reads the head group, deletes or dead-letters it after
 * the outcome (one transaction each), and answers depth questions. Thread-safe (one connection, serialised).
 *
 * <p>Its write transactions and the {@link Committer}'s take turns on a lock the two share. SQLite itself would
 * serialise them too, but a connection that finds the file locked polls with sleeps of 1, 2, 5, 10, 15, 20, 25 ms
 * and more (the busy handler): a removal that met a commit in progress waited a millisecond or, under load, a few
 * hundred, where the commit itself takes a fraction of one. Waiting on the lock wakes it when the commit ends.
 */
final class QueueStore implements AutoCloseable {
    static final int MAX_DEAD_LETTERS = 1000;
    private static final String SELECT_FROM = "SELECT seq, task_id, execution_id, sendable, kind, silently_aborting,"
            + " status_change, " + QueueDatabase.LOG_TEXT + ", lines, log_bytes FROM task_update_outbox WHERE seq > ?"
            + " ORDER BY seq LIMIT ?";

    /** Queue depth facts (worker-behaviour.md §13.6, §13.10); {@code oldestMicros} is -1 when empty. */
    record Counts(long elements, int pushes, boolean finalPending, long oldestMicros, long bytes) {
    }

    private final Connection conn;
    private final ReentrantLock writeLock;
    private final Path file;
    private final SnapshotJson json = new SnapshotJson();
    /** Told the estimated WAL bytes of each committed write transaction (the committer checkpoints). */
    private final LongConsumer wrote;

    /**
     * @param writeLock the lock the {@link Committer} on the same file holds around its transactions
     * @param wrote     told the estimated WAL bytes of each transaction this store commits
     */
    QueueStore(Connection conn, ReentrantLock writeLock, Path file, LongConsumer wrote) {
        this.conn = conn;
        this.writeLock = writeLock;
        this.file = file;
        this.wrote = wrote;
    }

    /** The lock this store's write transactions hold; the {@link Committer} on the same file shares it. */
    ReentrantLock writeLock() {
        return writeLock;
    }

    /** The head group, or empty when the head element is not sendable yet or the queue is empty. */
    Optional<Batch> nextBatch(int maxLines, long maxLogBytes) throws OutboxException {
        return groupAfter(Long.MIN_VALUE, null, maxLines, maxLogBytes);
    }

    /**
     * The group that will be the head once {@code current} (the head group, being sent) has left the queue, read
     * while it is still there (the sender's read-ahead), or empty when the element after it is not sendable yet. Its
     * activity snapshot accounts for {@code current}'s, which has not reached the snapshot table yet. Only valid if
     * {@code current} is then deleted as delivered: elements only ever become sendable and new ones are only added
     * after the last, so the group read now is a prefix of what a read after the deletion would give.
     */
    Optional<Batch> nextBatchAfter(Batch current, int maxLines, long maxLogBytes) throws OutboxException {
        return groupAfter(current.lastSeq(), current, maxLines, maxLogBytes);
    }

    private synchronized Optional<Batch> groupAfter(long afterSeq, Batch previous, int maxLines, long maxLogBytes)
            throws OutboxException {
        try (PreparedStatement ps = conn.prepareStatement(SELECT_FROM)) {
            ps.setLong(1, afterSeq);
            ps.setInt(2, 2 * maxLines + 16);
            GroupBuilder g = null;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    boolean sendable = rs.getInt(4) != 0;
                    String exec = rs.getString(3);
                    boolean silent = rs.getInt(6) != 0;
                    if (!sendable) {
                        break;
                    }
                    if (g == null) {
                        g = new GroupBuilder(json, rs.getString(2), exec, silent, rs.getLong(1));
                    } else if (!g.executionId.equals(exec) || g.silent != silent) {
                        break;
                    }
                    long seq = rs.getLong(1);
                    String kind = rs.getString(5);
                    boolean added;
                    if (Op.Kind.LOG.column().equals(kind)) {
                        long storedBytes = rs.getLong(10);
                        if (rs.wasNull()) {
                            storedBytes = -1; // a row of schema version 1
                        }
                        // Raw UTF-8 straight from the file: no String is made of the log on its way out.
                        byte[] text = rs.getBytes(8);
                        added = g.addLog(seq, rs.getInt(9), storedBytes, text == null ? new byte[0] : text,
                                maxLines, maxLogBytes);
                    } else {
                        added = g.addActivity(seq, kind, rs.getInt(7) != 0, rs.getString(8));
                    }
                    if (!added) {
                        break;
                    }
                }
            }
            if (g == null) {
                return Optional.empty();
            }
            String previousSnapshot = previous != null && previous.executionId().equals(g.executionId)
                    ? previous.latestSnapshot() : null;
            return Optional.of(g.build(this, previousSnapshot));
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    /** Removes a delivered group (2xx). */
    synchronized void delete(Batch b) throws OutboxException {
        inTransaction("delete", () -> {
            deleteRange(b);
            keepSnapshot(b);
        });
    }

    /** Moves a group to the dead-letter table (newest {@value #MAX_DEAD_LETTERS} kept). */
    synchronized void deadLetter(Batch b, int status, String reply, long nowMicros) throws OutboxException {
        inTransaction("dead-letter", () -> {
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO task_update_dead_letter (seq, task_id,"
                    + " execution_id, kind, silently_aborting, payload, captured_at_micros, http_status, reply,"
                    + " dead_at_micros) SELECT seq, task_id, execution_id, kind, silently_aborting, "
                    + QueueDatabase.LOG_TEXT + ","
                    + " captured_at_micros, ?, ?, ? FROM task_update_outbox WHERE seq >= ? AND seq <= ?"
                    + " ORDER BY seq")) {
                ps.setInt(1, status);
                ps.setString(2, reply);
                ps.setLong(3, nowMicros);
                ps.setLong(4, b.firstSeq());
                ps.setLong(5, b.lastSeq());
                ps.executeUpdate();
            }
            try (Statement st = conn.createStatement()) {
                st.executeUpdate("DELETE FROM task_update_dead_letter WHERE id <= (SELECT max(id) FROM"
                        + " task_update_dead_letter) - " + MAX_DEAD_LETTERS);
            }
            deleteRange(b);
            keepSnapshot(b);
        });
    }

    /** Removes every element of an execution (404/409); returns how many. */
    synchronized long dropExecution(String executionId) throws OutboxException {
        long[] n = new long[1];
        inTransaction("drop", () -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "SELECT coalesce(sum(lines), 0) FROM task_update_outbox WHERE execution_id = ?")) {
                ps.setString(1, executionId);
                try (ResultSet rs = ps.executeQuery()) {
                    n[0] = rs.next() ? rs.getLong(1) : 0;
                }
            }
            try (PreparedStatement ps = conn.prepareStatement(
                    "DELETE FROM task_update_outbox WHERE execution_id = ?")) {
                ps.setString(1, executionId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = conn.prepareStatement(
                    "DELETE FROM task_update_snapshot WHERE execution_id = ?")) {
                ps.setString(1, executionId);
                ps.executeUpdate();
            }
        });
        return n[0];
    }

    /** Counts a failed attempt on the group's elements and records the error. */
    synchronized void recordFailure(Batch b, String error) throws OutboxException {
        inTransaction("update", () -> {
            try (PreparedStatement ps = conn.prepareStatement("UPDATE task_update_outbox SET attempts = attempts"
                    + " + 1, last_error = ? WHERE seq >= ? AND seq <= ?")) {
                ps.setString(1, error);
                ps.setLong(2, b.firstSeq());
                ps.setLong(3, b.lastSeq());
                ps.executeUpdate();
            }
        });
    }

    synchronized Counts counts() throws OutboxException {
        try (Statement st = conn.createStatement()) {
            long elements;
            int pushes;
            long bytes;
            try (ResultSet rs = st.executeQuery("SELECT coalesce(sum(lines), 0), count(DISTINCT push_id),"
                    + " coalesce(sum(coalesce(log_bytes, length(payload))), 0) FROM task_update_outbox")) {
                rs.next();
                elements = rs.getLong(1);
                pushes = rs.getInt(2);
                bytes = rs.getLong(3);
            }
            boolean finalPending;
            try (ResultSet rs = st.executeQuery(
                    "SELECT EXISTS (SELECT 1 FROM task_update_outbox WHERE final_status = 1)")) {
                rs.next();
                finalPending = rs.getInt(1) != 0;
            }
            long oldest = -1;
            try (ResultSet rs = st.executeQuery(
                    "SELECT captured_at_micros FROM task_update_outbox ORDER BY seq LIMIT 1")) {
                if (rs.next()) {
                    oldest = rs.getLong(1);
                }
            }
            return new Counts(elements, pushes, finalPending, oldest, bytes);
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    /** True while a sendable element of {@code taskId} is queued. */
    synchronized boolean hasSendable(String taskId) throws OutboxException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM task_update_outbox WHERE task_id = ? AND sendable = 1)")) {
            ps.setString(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) != 0;
            }
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    synchronized boolean isEmpty() throws OutboxException {
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM task_update_outbox)")) {
            return !rs.next() || rs.getInt(1) == 0;
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    @Override
    public synchronized void close() {
        QueueDatabase.closeQuietly(conn);
    }

    /** The snapshot current before the head group: the last one that left the queue, else the initial one. */
    ActivitySnapshot snapshotBefore(String executionId) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT payload FROM task_update_snapshot WHERE execution_id = ?")) {
            ps.setString(1, executionId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return decodedOrInitial(json, rs.getString(1));
                }
            }
        }
        return ActivitySnapshot.initial();
    }

    static ActivitySnapshot decodedOrInitial(SnapshotJson json, String payload) {
        try {
            return json.decode(payload);
        } catch (IllegalArgumentException e) {
            return ActivitySnapshot.initial();
        }
    }

    private void deleteRange(Batch b) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "DELETE FROM task_update_outbox WHERE seq >= ? AND seq <= ?")) {
            ps.setLong(1, b.firstSeq());
            ps.setLong(2, b.lastSeq());
            ps.executeUpdate();
        }
    }

    private void keepSnapshot(Batch b) throws SQLException {
        if (b.latestSnapshot() == null) {
            return;
        }
        try (PreparedStatement ps = conn.prepareStatement(
                "INSERT OR REPLACE INTO task_update_snapshot (execution_id, payload) VALUES (?, ?)")) {
            ps.setString(1, b.executionId());
            ps.setString(2, b.latestSnapshot());
            ps.executeUpdate();
        }
    }

    private interface SqlWork {
        void run() throws SQLException;
    }

    private void inTransaction(String what, SqlWork work) throws OutboxException {
        writeLock.lock();
        try (Statement st = conn.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            try {
                work.run();
                st.execute("COMMIT");
                wrote.accept(Committer.TRANSACTION_PAGES_BYTES);
            } catch (SQLException e) {
                QueueDatabase.rollback(st, e);
                throw e;
            }
        } catch (SQLException e) {
            throw failure(what, e);
        } finally {
            writeLock.unlock();
        }
    }

    private OutboxException failure(String what, Exception e) {
        return new OutboxException("cannot " + what + " update queue " + file + ": " + e.getMessage(), e);
    }
}
