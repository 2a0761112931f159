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

    /**
     * One subprocess output line for the task log, written as given. Unlike {@link #log} it may be held and captured
     * together with the lines that follow it, until {@link #flushOutput()} or the next log line, activity or progress
     * (which captures the held lines first, so the task log keeps the order of the calls).
     */
    default void outputLine(String line) throws InterruptedException {
        log(line);
    }

    /** Captures the output lines held by {@link #outputLine}; called before the output reader waits for more. */
    default void flushOutput() throws InterruptedException {
    }

    /** Replaces the activity text of the snapshot. */
    void activity(String activity) throws InterruptedException;

    /** This command's progress, 0–100; never decreases within a command. */
    void commandProgress(int percentage) throws InterruptedException;

    /** Adds a named duration in seconds to this command's timing (commands.md §4.3 checkpoints). */
    void timing(String name, double seconds);

    /**
     * One step of the command's work is done (a Blender frame rendered or skipped): Flamenco 3's
     * {@code steps_completed} counting (protocol-v3.md §6). Ignored for v2 tasks.
     */
    default void stepCompleted() {
    }

    /** A file worth showing as the latest output (worker-behaviour.md §14); best effort. */
    void outputProduced(Path file);
}
