package org.flamenco.worker.cli;

import java.nio.file.Path;
import java.util.Objects;

import org.flamenco.worker.daemon.LoggingSetup;

/**
 * What the command line takes from the process: the working directory (relative paths), the home directory
 * ({@code ~}) and where logging goes. Tests pass temporary directories and a private logging context.
 */
public record CliEnvironment(Path workingDir, Path homeDir, LoggingSetup logging) {
    public CliEnvironment {
        Objects.requireNonNull(workingDir, "workingDir");
        Objects.requireNonNull(homeDir, "homeDir");
        Objects.requireNonNull(logging, "logging");
    }

    /** The real process: current directory, {@code user.home} ({@code %USERPROFILE%} on Windows), stderr. */
    public static CliEnvironment ofThisProcess() {
        return new CliEnvironment(Path.of("").toAbsolutePath(), Path.of(System.getProperty("user.home")),
                LoggingSetup.forThisProcess());
    }
}
