package org.flamenco.worker.outbox;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reads a queue file directly with JDBC, for assertions. */
final class QueueFile {
    private QueueFile() {
    }

    /** The first column of every row of {@code sql}, as strings. */
    static List<String> column(Path file, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    static long count(Path file, String sql) throws SQLException {
        return Long.parseLong(column(file, sql).get(0));
    }

    static void execute(Path file, String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    /**
     * The texts (timestamp prefix removed) of the log lines in the rows {@code where} selects, in capture order. A log
     * row holds consecutive lines joined with a newline.
     */
    static List<String> logTexts(Path file, String where) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String row : column(file, "SELECT " + QueueDatabase.LOG_TEXT + " FROM task_update_outbox"
                + " WHERE kind = 'log' AND (" + where
                + ") ORDER BY seq")) {
            for (String line : row.split("\n", -1)) {
                out.add(line.substring(line.indexOf(": ") + 2));
            }
        }
        return out;
    }

    /** "kind:sendable" per element (a log row counts once per line it holds) in seq order. */
    static List<String> elements(Path file) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String row : column(file, "SELECT lines || ' ' || kind || ':' || sendable FROM task_update_outbox"
                + " ORDER BY seq")) {
            int space = row.indexOf(' ');
            out.addAll(Collections.nCopies(Integer.parseInt(row.substring(0, space)), row.substring(space + 1)));
        }
        return out;
    }
}
