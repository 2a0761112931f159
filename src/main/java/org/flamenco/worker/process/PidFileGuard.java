package org.flamenco.worker.process;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import org.flamenco.worker.clock.Clock;

/**
 * The {@code subprocess_pid_file} guard (commands.md §2.8). Thread-safe; every method does file I/O on the calling
 * thread. A disabled guard (empty setting) passes every check and writes nothing.
 */
public final class PidFileGuard {
    private final Path file;
    private final Clock clock;

    /** A guard of {@code file}. */
    public PidFileGuard(Path file, Clock clock) {
        this.file = Objects.requireNonNull(file, "file");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private PidFileGuard() {
        this.file = null;
        this.clock = null;
    }

    /** The guard for an empty {@code subprocess_pid_file}: no checks, no file. */
    public static PidFileGuard disabled() {
        return new PidFileGuard();
    }

    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /**
     * The validation check: passes when the file is absent or stale (a stale file is deleted with a warning).
     *
     * @throws PidFileException {@code Subprocess from <p> is still running: pid=<pid>, <exe>, started <time>} or
     *                          {@code Empty PID file <p>, refusing to create new subprocess just to be sure}
     */
    public void check() throws PidFileException {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Creates the file exclusively with {@code pid} right after the subprocess started.
     *
     * @throws PidFileException {@code PID file <p> already exists} (the caller stops the new tree at once)
     */
    public void claim(long pid) throws PidFileException {
        throw new UnsupportedOperationException("not yet");
    }

    /** Deletes the file if it still contains {@code pid}. Never throws; problems are logged. */
    public void release(long pid) {
        throw new UnsupportedOperationException("not yet");
    }
}
