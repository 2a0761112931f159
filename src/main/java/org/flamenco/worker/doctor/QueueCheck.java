package org.flamenco.worker.doctor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.flamenco.worker.model.PathProbe;
import org.flamenco.worker.outbox.QueueFileReport;

/**
 * Check 5: {@code task_update_queue_db} can be created or written (worker-behaviour.md §13.1). Works beside a
 * running worker: only file-level probes, and the existing database is read by the outbox's
 * {@link QueueFileReport} (read-only: {@code PRAGMA quick_check} and a count of what is still queued). Never creates
 * or migrates the database.
 */
final class QueueCheck {
    static final String NAME = "queue";

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
        Optional<String> notWritable = PathProbe.createIn(dir);
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

    /** Read-only look inside, through the outbox's own reader of its schema: integrity and what is waiting. */
    private CheckResult inspect() {
        QueueFileReport report;
        try {
            report = QueueFileReport.read(db);
        } catch (SQLException e) {
            return damaged("cannot be read as an SQLite database: " + e.getMessage());
        }
        if (!report.healthy()) {
            return damaged("integrity check says: " + report.integrity());
        }
        List<String> parts = new ArrayList<>();
        parts.add(db + " is healthy");
        report.queued().ifPresent(n -> parts.add(n + " update(s) waiting for delivery"));
        report.deadLetters().filter(n -> n > 0).ifPresent(n -> parts.add(n + " dead letter(s)"));
        Optional<Long> legacy = report.legacy().filter(n -> n > 0);
        if (legacy.isPresent()) {
            return CheckResult.warn(NAME, String.join(", ", parts) + "; " + legacy.get()
                    + " update(s) queued by the Python worker cannot be delivered by this worker",
                    "to deliver them, run the old worker until its queue is empty before switching");
        }
        return CheckResult.ok(NAME, String.join(", ", parts));
    }

    private CheckResult damaged(String why) {
        return CheckResult.warn(NAME, db + " " + why, "at its next start the worker moves it aside (.corrupt-<time>)"
                + " and starts a new, empty queue; updates still in it are not delivered");
    }
}
