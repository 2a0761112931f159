package org.flamenco.worker.command;

import java.nio.file.Path;

/**
 * Where a running command reports (the seam between commands and the task runner). Implemented by the task runner,
 * which turns calls into outbox captures. Thread-safe: output readers call it from their own threads. Calls block
 * only for the local commit (back-pressure), never for the network.
 */
public interface CommandReporter {
    /** One task-log line, written as given (callers add the {@code <name>: } or {@code pid=<pid> > } prefix). */
    void log(String line) throws InterruptedException;

    /** Replaces the activity text of the snapshot. */
    void activity(String activity) throws InterruptedException;

    /** This command's progress, 0–100; never decreases within a command. */
    void commandProgress(int percentage) throws InterruptedException;

    /** Adds a named duration in seconds to this command's timing (commands.md §4.3 checkpoints). */
    void timing(String name, double seconds);

    /** A file worth showing as the latest output (worker-behaviour.md §14); best effort. */
    void outputProduced(Path file);
}
