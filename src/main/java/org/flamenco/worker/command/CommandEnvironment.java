package org.flamenco.worker.command;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What validation may consult besides the settings (PLACEHOLDER: the process/command issue extends this with the
 * PID-file guard).
 */
public record CommandEnvironment(Path workingDirectory) {
    public CommandEnvironment {
        Objects.requireNonNull(workingDirectory, "workingDirectory");
    }
}
