package org.flamenco.worker.outbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

import org.sqlite.SQLiteConfig;

/**
 * A read-only look into an existing queue file, for {@code doctor} beside a running worker: its integrity and what is
 * waiting, read with this package's own knowledge of the schema (every version it migrates from). Never creates,
 * migrates or writes the file.
 *
 * @param integrity   what {@code PRAGMA quick_check} answered ({@code ok} when healthy)
 * @param queued      updates waiting for delivery (each log line counts), empty when the table does not exist
 * @param deadLetters dead letters kept, empty when the table does not exist
 * @param legacy      rows of the Python worker's queue table, empty when it does not exist
 */
public record QueueFileReport(String integrity, Optional<Long> queued, Optional<Long> deadLetters,
                              Optional<Long> legacy) {
    private static final int BUSY_TIMEOUT_MILLIS = 5000;

    /** True when {@code PRAGMA quick_check} found nothing wrong. */
    public boolean healthy() {
        return "ok".equalsIgnoreCase(integrity);
    }

    /**
     * Reads {@code db}, which must exist.
     *
     * @throws SQLException when it cannot be read as an SQLite database
     */
    public static QueueFileReport read(Path db) throws SQLException {
        SQLiteConfig readOnly = new SQLiteConfig();
        readOnly.setReadOnly(true);
        readOnly.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        try (Connection c = DriverManager.getConnection(url(db.toAbsolutePath()), readOnly.toProperties());
             Statement st = c.createStatement()) {
            String integrity;
            try (ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
                integrity = rs.next() ? rs.getString(1) : "no answer";
            }
            if (!"ok".equalsIgnoreCase(integrity)) {
                return new QueueFileReport(integrity, Optional.empty(), Optional.empty(), Optional.empty());
            }
            // A log row of schema version 2 and later holds several lines; each line is one queued update.
            String queued = hasColumn(st, "task_update_outbox", "lines") ? "coalesce(sum(lines), 0)" : "count(*)";
            return new QueueFileReport(integrity, count(st, "task_update_outbox", queued),
                    count(st, "task_update_dead_letter", "count(*)"),
                    count(st, QueueDatabase.LEGACY_TABLE, "count(*)"));
        }
    }

    /**
     * Without a {@code -wal} file no worker has the database open (a running worker in WAL mode always has one), and
     * a read-only connection would create {@code -wal} and {@code -shm} and could not remove them again: then the
     * file is read as immutable, which creates nothing. With a worker running, its files are used as they are.
     */
    private static String url(Path db) {
        boolean workerFiles = Files.exists(Path.of(db + "-wal"));
        return workerFiles ? "jdbc:sqlite:" + db : "jdbc:sqlite:" + db.toUri() + "?immutable=1";
    }

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
