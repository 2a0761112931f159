package org.flamenco.worker.doctor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.sqlite.SQLiteConfig;

/**
 * Check 5: {@code task_update_queue_db} can be created or written (worker-behaviour.md §13.1). Works beside a
 * running worker: only file-level probes, and the existing database is opened read-only for
 * {@code PRAGMA quick_check} and a count of what is still queued. Never creates or migrates the database.
 */
final class QueueCheck {
    static final String NAME = "queue";
    private static final String OUTBOX_TABLE = "task_update_outbox";
    private static final String DEAD_LETTER_TABLE = "task_update_dead_letter";
    private static final String LEGACY_TABLE = "fworker_queue";
    private static final int BUSY_TIMEOUT_MILLIS = 5000;

    private final Path db;

    QueueCheck(Path db) {
        this.db = Objects.requireNonNull(db, "db").toAbsolutePath();
    }

    CheckResult run() {
        Path dir = db.getParent();
        String access = "the worker's user needs write access to it (SQLite creates journal files beside the "
                + "database)";
        if (!Files.isDirectory(dir)) {
            return CheckResult.fail(NAME, "directory " + dir + " of task_update_queue_db "
                    + (Files.exists(dir) ? "is not a directory" : "does not exist"),
                    "create it (mkdir -p " + dir + ") or change task_update_queue_db; " + access);
        }
        Optional<String> notWritable = WritableProbe.directory(dir);
        if (notWritable.isPresent()) {
            return CheckResult.fail(NAME, "directory " + dir + " is not writable: " + notWritable.get(), access);
        }
        if (!Files.exists(db)) {
            return CheckResult.ok(NAME, db + " will be created at the first start");
        }
        if (!Files.isRegularFile(db) || !Files.isWritable(db)) {
            return CheckResult.fail(NAME, db + " is not a writable file",
                    "the worker's user must own it: chown <worker user> " + db);
        }
        return inspect();
    }

    /** Read-only look inside: integrity and what is waiting. */
    private CheckResult inspect() {
        SQLiteConfig readOnly = new SQLiteConfig();
        readOnly.setReadOnly(true);
        readOnly.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        try (Connection c = DriverManager.getConnection(url(), readOnly.toProperties());
             Statement st = c.createStatement()) {
            String integrity;
            try (ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
                integrity = rs.next() ? rs.getString(1) : "no answer";
            }
            if (!"ok".equalsIgnoreCase(integrity)) {
                return damaged("integrity check says: " + integrity);
            }
            List<String> parts = new ArrayList<>();
            parts.add(db + " is healthy");
            count(st, OUTBOX_TABLE, hasColumn(st, OUTBOX_TABLE, "lines") ? "coalesce(sum(lines), 0)" : "count(*)")
                    .ifPresent(n -> parts.add(n + " update(s) waiting for delivery"));
            count(st, DEAD_LETTER_TABLE, "count(*)").filter(n -> n > 0).ifPresent(n -> parts.add(n + " dead letter(s)"));
            Optional<Long> legacy = count(st, LEGACY_TABLE, "count(*)").filter(n -> n > 0);
            if (legacy.isPresent()) {
                return CheckResult.warn(NAME, String.join(", ", parts) + "; " + legacy.get()
                        + " update(s) queued by the Python worker cannot be delivered by this worker",
                        "to deliver them, run the old worker until its queue is empty before switching");
            }
            return CheckResult.ok(NAME, String.join(", ", parts));
        } catch (SQLException e) {
            return damaged("cannot be read as an SQLite database: " + e.getMessage());
        }
    }

    /**
     * Without a {@code -wal} file no worker has the database open (a running worker in WAL mode always has one), and
     * a read-only connection would create {@code -wal} and {@code -shm} and could not remove them again: then the
     * file is read as immutable, which creates nothing. With a worker running, its files are used as they are.
     */
    private String url() {
        boolean workerFiles = Files.exists(Path.of(db + "-wal"));
        return workerFiles ? "jdbc:sqlite:" + db : "jdbc:sqlite:" + db.toUri() + "?immutable=1";
    }

    private CheckResult damaged(String why) {
        return CheckResult.warn(NAME, db + " " + why, "at its next start the worker moves it aside (.corrupt-<time>)"
                + " and starts a new, empty queue; updates still in it are not delivered");
    }

    /** A log row of the queue holds several lines (schema version 2); each line is one queued update. */
    private static boolean hasColumn(Statement st, String table, String column) throws SQLException {
        try (ResultSet rs = st.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rs.next()) {
                if (column.equals(rs.getString("name"))) {
                    return true;
                }
            }
            return false;
        }
    }

    private static Optional<Long> count(Statement st, String table, String aggregate) throws SQLException {
        try (ResultSet rs = st.executeQuery(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'")) {
            if (!rs.next() || rs.getLong(1) == 0) {
                return Optional.empty();
            }
        }
        try (ResultSet rs = st.executeQuery("SELECT " + aggregate + " FROM " + table)) {
            return Optional.of(rs.next() ? rs.getLong(1) : 0L);
        }
    }
}
