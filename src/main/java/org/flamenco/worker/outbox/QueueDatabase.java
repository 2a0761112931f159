package org.flamenco.worker.outbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Opens the queue file (worker-behaviour.md §13.1): quick integrity check, damaged file moved aside, schema created
 * or migrated, legacy {@code fworker_queue} rows counted. Connections use WAL and {@code synchronous=NORMAL}.
 */
final class QueueDatabase {
    static final int SCHEMA_VERSION = 3;
    static final String LEGACY_TABLE = "fworker_queue";
    private static final Logger LOG = LoggerFactory.getLogger(QueueDatabase.class);
    private static final DateTimeFormatter CORRUPT_SUFFIX =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
        // seq is assigned by the producer in capture order; push_id is the release the element belongs to. A log
        // row holds `lines` consecutive lines (sequence numbers seq .. seq + lines - 1) joined with \n (LogChunk);
        // log_bytes is their UTF-8 size without the newlines (NULL in rows of schema version 1: computed then).
        // A row whose lines share one capture time stores that timestamp once in `stamp` and the lines without it
        // (schema version 3); LOG_TEXT gives the lines as sent, each with its "<stamp>: " prefix.
        "CREATE TABLE IF NOT EXISTS task_update_outbox ("
            + " seq INTEGER PRIMARY KEY, task_id TEXT NOT NULL, execution_id TEXT NOT NULL,"
            + " sendable INTEGER NOT NULL, kind TEXT NOT NULL, silently_aborting INTEGER NOT NULL,"
            + " status_change INTEGER NOT NULL, final_status INTEGER NOT NULL, payload TEXT NOT NULL,"
            + " captured_at_micros INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,"
            + " push_id INTEGER, lines INTEGER NOT NULL DEFAULT 1, log_bytes INTEGER, stamp TEXT)",
        "CREATE INDEX IF NOT EXISTS task_update_outbox_final ON task_update_outbox (seq) WHERE final_status = 1",
        // The snapshot of the last activity element that left the queue, per execution: a log-only group that
        // follows it carries this snapshot (§12.3).
        "CREATE TABLE IF NOT EXISTS task_update_snapshot (execution_id TEXT PRIMARY KEY, payload TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS task_update_dead_letter ("
            + " id INTEGER PRIMARY KEY AUTOINCREMENT, seq INTEGER NOT NULL, task_id TEXT NOT NULL,"
            + " execution_id TEXT NOT NULL, kind TEXT NOT NULL, silently_aborting INTEGER NOT NULL,"
            + " payload TEXT NOT NULL, captured_at_micros INTEGER NOT NULL, http_status INTEGER NOT NULL,"
            + " reply TEXT NOT NULL, dead_at_micros INTEGER NOT NULL)",
    };

    /**
     * SQL for a queue row's payload as it is sent: a row with a {@code stamp} gets {@code "<stamp>: "} in front of
     * each of its lines (expanded by SQLite, on the way out); other rows are stored that way already.
     */
    static final String LOG_TEXT = "(CASE WHEN stamp IS NULL THEN payload ELSE stamp || ': ' || replace(payload,"
            + " char(10), char(10) || stamp || ': ') END)";

    /** Bytes the WAL file is truncated to when SQLite restarts it after a checkpoint. */
    static final long WAL_SIZE_LIMIT = 8L * 1024 * 1024;

    private QueueDatabase() {
    }

    /**
     * Opens (creating or replacing a damaged file as needed) and returns a configured connection.
     *
     * @param now the wall time used to name a damaged file
     */
    static Connection open(Path file, Instant now) throws OutboxException {
        try {
            Connection c = connect(file);
            if (isHealthy(c)) {
                createSchema(c, file);
                return c;
            }
            closeQuietly(c);
        } catch (SQLException e) {
            if (!isDamage(e)) {
                throw new OutboxException("cannot open update queue " + file + ": " + e.getMessage(), e);
            }
        }
        Path moved = moveAside(file, now);
        LOG.error("Update queue {} is damaged; moved it to {} and started a new, empty queue", file, moved);
        try {
            Connection c = connect(file);
            createSchema(c, file);
            return c;
        } catch (SQLException e) {
            throw new OutboxException("cannot create update queue " + file + ": " + e.getMessage(), e);
        }
    }

    /** Another connection to an already opened file (sender side). */
    static Connection connect(Path file) throws SQLException {
        SqliteLibraryCache.install();
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout = 30000");
            st.execute("PRAGMA journal_mode = WAL");
            st.execute("PRAGMA synchronous = NORMAL");
            // Checkpoints are the committer's, outside write transactions (Committer); not on commit.
            st.execute("PRAGMA wal_autocheckpoint = 0");
            // A WAL that grew while checkpoints could not catch up (a burst) is cut back once it restarts; without
            // this it keeps its high-water size for good (41 MB after an hour at 2000 lines/s, docs/benchmarks.md).
            st.execute("PRAGMA journal_size_limit = " + WAL_SIZE_LIMIT);
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
        return c;
    }

    /** Number of rows in the legacy table, empty when it does not exist. */
    static Optional<Long> legacyRows(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(
                     "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '" + LEGACY_TABLE + "'")) {
            if (!rs.next() || rs.getLong(1) == 0) {
                return Optional.empty();
            }
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + LEGACY_TABLE)) {
            rs.next();
            return Optional.of(rs.getLong(1));
        }
    }

    /** Where a reopened queue goes on: the next sequence number and push id. */
    record Position(long nextSeq, long nextPush) {
    }

    /** Finds where the queue goes on and makes what an earlier run left sendable at once (§13.7). */
    static Position resume(Connection c, Path file) throws SQLException {
        long nextSeq = 1 + queryLong(c, "SELECT coalesce(max(seq + lines - 1), 0) FROM task_update_outbox");
        long nextPush = 1 + queryLong(c, "SELECT coalesce(max(push_id), 0) FROM task_update_outbox");
        long leftovers = adoptLeftovers(c, nextPush);
        if (leftovers > 0) {
            LOG.info("Update queue {} holds {} updates from an earlier run; sending them first", file, leftovers);
            nextPush++;
        }
        return new Position(nextSeq, nextPush);
    }

    /** The legacy-table report of §13.1 (logged), when the Python worker's table holds rows. */
    static Optional<String> legacyNotice(Connection c, Path file) throws SQLException {
        Optional<String> notice = legacyRows(c).filter(n -> n > 0)
                .map(n -> file + " holds " + n + " updates queued by the Python worker; they cannot be delivered"
                        + " and are left untouched");
        notice.ifPresent(LOG::warn);
        return notice;
    }

    /** Makes every element left from an earlier run sendable (§13.7); returns how many are queued. */
    static long adoptLeftovers(Connection c, long pushId) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM task_update_snapshot WHERE execution_id NOT IN"
                    + " (SELECT DISTINCT execution_id FROM task_update_outbox)");
            st.executeUpdate("UPDATE task_update_outbox SET sendable = 1, push_id = " + pushId
                    + " WHERE sendable = 0 OR push_id IS NULL");
            return queryLong(c, "SELECT coalesce(sum(lines), 0) FROM task_update_outbox");
        }
    }

    static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("closing update queue connection failed", e);
        }
    }

    private static boolean hasColumn(Connection c, String table, String column) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rs.next()) {
                if (column.equals(rs.getString("name"))) {
                    return true;
                }
            }
            return false;
        }
    }

    private static boolean isHealthy(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
            return rs.next() && "ok".equalsIgnoreCase(rs.getString(1));
        }
    }

    /**
     * A failure of the file system rather than of the data: a full disk, an I/O error, a lock held too long. Worth
     * retrying the same write later.
     */
    static boolean isTransient(SQLException e) {
        if (e instanceof SQLiteException se) {
            int primary = se.getResultCode().code & 0xff;
            return primary == SQLiteErrorCode.SQLITE_FULL.code || primary == SQLiteErrorCode.SQLITE_IOERR.code
                    || primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code;
        }
        return false;
    }

    /** The message of {@code e} without the JDBC driver's "[SQLITE_…] SQL error or missing database" noise. */
    static String reason(SQLException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int open = m.indexOf('(');
        return open >= 0 && m.endsWith(")") ? m.substring(open + 1, m.length() - 1) : m;
    }

    private static boolean isDamage(SQLException e) {
        if (e instanceof SQLiteException se) {
            SQLiteErrorCode code = se.getResultCode();
            return code == SQLiteErrorCode.SQLITE_CORRUPT || code == SQLiteErrorCode.SQLITE_NOTADB
                    || code.code == SQLiteErrorCode.SQLITE_CORRUPT.code
                    || code.code == SQLiteErrorCode.SQLITE_NOTADB.code;
        }
        return false;
    }

    private static Path moveAside(Path file, Instant now) throws OutboxException {
        Path moved = file.resolveSibling(file.getFileName() + ".corrupt-" + CORRUPT_SUFFIX.format(now));
        try {
            Files.move(file, moved);
            // A stale WAL or shared-memory file must not be applied to the new database.
            for (String suffix : new String[] {"-wal", "-shm"}) {
                Path side = file.resolveSibling(file.getFileName() + suffix);
                if (Files.exists(side)) {
                    Files.move(side, moved.resolveSibling(moved.getFileName() + suffix));
                }
            }
        } catch (IOException e) {
            throw new OutboxException("cannot move damaged update queue " + file + " aside: " + e.getMessage(), e);
        }
        return moved;
    }

    private static void createSchema(Connection c, Path file) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            try {
                for (String ddl : SCHEMA) {
                    st.execute(ddl);
                }
                int version = 0;
                try (ResultSet rs = st.executeQuery("SELECT max(version) FROM schema_version")) {
                    if (rs.next()) {
                        version = rs.getInt(1);
                    }
                }
                if (version > SCHEMA_VERSION) {
                    throw new SQLException(file + " has schema version " + version + ", this worker knows up to "
                            + SCHEMA_VERSION);
                }
                if (version == 1 && !hasColumn(c, "task_update_outbox", "lines")) {
                    // Version 1 stored one row per log line: each such row covers one sequence number.
                    st.execute("ALTER TABLE task_update_outbox ADD COLUMN lines INTEGER NOT NULL DEFAULT 1");
                    st.execute("ALTER TABLE task_update_outbox ADD COLUMN log_bytes INTEGER");
                }
                if (!hasColumn(c, "task_update_outbox", "stamp")) {
                    st.execute("ALTER TABLE task_update_outbox ADD COLUMN stamp TEXT"); // versions 1 and 2
                }
                if (version < SCHEMA_VERSION) {
                    st.execute("DELETE FROM schema_version");
                    st.execute("INSERT INTO schema_version (version) VALUES (" + SCHEMA_VERSION + ")");
                }
                st.execute("COMMIT");
            } catch (SQLException e) {
                rollback(st, e);
                throw e;
            }
        }
    }

    /**
     * Rolls back after {@code cause}. SQLite has often rolled back already (a full disk or an I/O error ends the
     * transaction), and then ROLLBACK itself fails; that failure is kept as suppressed, so the caller reports the
     * real cause ("database or disk is full") rather than "no transaction is active".
     */
    static void rollback(Statement st, SQLException cause) {
        try {
            st.execute("ROLLBACK");
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
