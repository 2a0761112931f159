package org.flamenco.worker.outbox;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.flamenco.worker.model.ActivitySnapshot;
import org.flamenco.worker.model.TaskUpdate;

/**
 * The sender's side of the queue file, on its own connection: reads the head group, deletes or dead-letters it after
 * the outcome (one transaction each), and answers depth questions. Thread-safe (one connection, serialised).
 */
final class QueueStore implements AutoCloseable {
    static final int MAX_DEAD_LETTERS = 1000;
    private static final String SELECT_HEAD = "SELECT seq, task_id, execution_id, sendable, kind, silently_aborting,"
            + " status_change, payload, lines, log_bytes FROM task_update_outbox ORDER BY seq LIMIT ?";

    /** Queue depth facts (worker-behaviour.md §13.6, §13.10); {@code oldestMicros} is -1 when empty. */
    record Counts(long elements, int pushes, boolean finalPending, long oldestMicros) {
    }

    private final Connection conn;
    private final Path file;
    private final SnapshotJson json = new SnapshotJson();

    QueueStore(Connection conn, Path file) {
        this.conn = conn;
        this.file = file;
    }

    /** The head group, or empty when the head element is not sendable yet or the queue is empty. */
    synchronized Optional<Batch> nextBatch(int maxLines, long maxLogBytes) throws OutboxException {
        try (PreparedStatement ps = conn.prepareStatement(SELECT_HEAD)) {
            ps.setInt(1, 2 * maxLines + 16);
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
                    long storedBytes = rs.getLong(10);
                    if (!g.add(rs.getLong(1), rs.getInt(9), rs.wasNull() ? -1 : storedBytes, rs.getString(5),
                            rs.getInt(7) != 0, rs.getString(8), maxLines, maxLogBytes)) {
                        break;
                    }
                }
            }
            return g == null ? Optional.empty() : Optional.of(g.build(this));
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
                    + " dead_at_micros) SELECT seq, task_id, execution_id, kind, silently_aborting, payload,"
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
            try (ResultSet rs = st.executeQuery(
                    "SELECT coalesce(sum(lines), 0), count(DISTINCT push_id) FROM task_update_outbox")) {
                rs.next();
                elements = rs.getLong(1);
                pushes = rs.getInt(2);
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
            return new Counts(elements, pushes, finalPending, oldest);
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
                    try {
                        return json.decode(rs.getString(1));
                    } catch (IllegalArgumentException e) {
                        return ActivitySnapshot.initial();
                    }
                }
            }
        }
        return ActivitySnapshot.initial();
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
        try (Statement st = conn.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            try {
                work.run();
                st.execute("COMMIT");
            } catch (SQLException e) {
                st.execute("ROLLBACK");
                throw e;
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private OutboxException failure(String what, Exception e) {
        return new OutboxException("cannot " + what + " update queue " + file + ": " + e.getMessage(), e);
    }

    /** Collects the head group under the limits of §12.3. */
    private static final class GroupBuilder {
        final String taskId;
        final String executionId;
        final boolean silent;
        final long firstSeq;
        long lastSeq;
        int elements;
        int lines;
        long logBytes;
        final List<String> log = new ArrayList<>();
        String latestSnapshot;
        ActivitySnapshot snapshot;
        String undecodable;
        final SnapshotJson decoder;

        GroupBuilder(SnapshotJson decoder, String taskId, String executionId, boolean silent, long firstSeq) {
            this.decoder = decoder;
            this.taskId = taskId;
            this.executionId = executionId;
            this.silent = silent;
            this.firstSeq = firstSeq;
        }

        /**
         * Adds the row if it fits; returns false when the group is complete. A log row holds {@code rowLines}
         * lines joined with {@code \n}; their bytes are counted without the separators ({@code storedBytes}, or
         * computed when it is -1).
         */
        boolean add(long seq, int rowLines, long storedBytes, String kindColumn, boolean statusChange,
                    String payload, int maxLines, long maxBytes) {
            if (undecodable != null) {
                return false;
            }
            int n = Math.max(1, rowLines);
            if (Op.Kind.LOG.column().equals(kindColumn)) {
                long bytes = storedBytes >= 0 ? storedBytes : LogLine.utf8Length(payload) - (n - 1);
                if (elements > 0 && (lines + n > maxLines || logBytes + bytes > maxBytes)) {
                    return false;
                }
                log.add(payload);
                lines += n;
                logBytes += bytes;
                lastSeq = seq + n - 1;
                elements += n;
                return true;
            } else {
                try {
                    if (!Op.Kind.ACTIVITY.column().equals(kindColumn)) {
                        throw new IllegalArgumentException("unknown element kind '" + kindColumn + "'");
                    }
                    snapshot = decoder.decode(payload);
                } catch (IllegalArgumentException e) {
                    if (elements == 0) {
                        // An element that cannot be decoded goes to the dead letters on its own.
                        undecodable = e.getMessage();
                        lastSeq = seq;
                        elements = 1;
                    }
                    return false;
                }
                latestSnapshot = payload;
            }
            lastSeq = seq;
            elements++;
            // A status change is always the last element of its request.
            return !statusChange;
        }

        Batch build(QueueStore store) throws SQLException {
            if (undecodable != null) {
                return new Batch(taskId, executionId, silent, firstSeq, lastSeq, null, elements, 0, null,
                        undecodable);
            }
            TaskUpdate update;
            String joined = log.isEmpty() ? null : String.join("\n", log);
            if (silent) {
                update = joined == null ? null : new TaskUpdate(taskId, null, joined);
            } else {
                ActivitySnapshot current = snapshot != null ? snapshot : store.snapshotBefore(executionId);
                update = new TaskUpdate(taskId, current, joined);
            }
            return new Batch(taskId, executionId, silent, firstSeq, lastSeq, update, elements, logBytes,
                    latestSnapshot, null);
        }
    }
}
