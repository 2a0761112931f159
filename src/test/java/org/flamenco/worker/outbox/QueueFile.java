package org.flamenco.worker.outbox;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
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

    /** "kind:sendable" per element in seq order. */
    static List<String> elements(Path file) throws SQLException {
        return column(file, "SELECT kind || ':' || sendable FROM task_update_outbox ORDER BY seq");
    }
}
