package org.flamenco.worker.cli;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import org.flamenco.worker.daemon.LoggingSetup;

/**
 * What the command line takes from the process: the working directory (relative paths), the home directory
 * ({@code ~}; empty when the process has none, worker-behaviour.md §1) and where logging goes. Tests pass temporary
 * directories and a private logging context.
 */
public record CliEnvironment(Path workingDir, Optional<Path> homeDir, LoggingSetup logging) {
    public CliEnvironment {
        Objects.requireNonNull(workingDir, "workingDir");
        Objects.requireNonNull(homeDir, "homeDir");
        Objects.requireNonNull(logging, "logging");
    }

    public CliEnvironment(Path workingDir, Path homeDir, LoggingSetup logging) {
        this(workingDir, Optional.of(Objects.requireNonNull(homeDir, "homeDir")), logging);
    }

    /** The real process: current directory, {@code ~} as {@link UserHome} finds it, stderr. */
    public static CliEnvironment ofThisProcess() {
        return new CliEnvironment(Path.of("").toAbsolutePath(), UserHome.ofThisProcess(),
                LoggingSetup.forThisProcess());
    }
}
