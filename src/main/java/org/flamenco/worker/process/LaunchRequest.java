package org.flamenco.worker.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What to start.
 *
 * @param argv               program and arguments, at least one word; passed to the OS as is (no shell)
 * @param workingDirectory   the child's working directory
 * @param removedEnvironment environment variables to leave out besides {@code LD_LIBRARY_PATH}
 */
public record LaunchRequest(List<String> argv, Path workingDirectory, Set<String> removedEnvironment) {
    public LaunchRequest {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv needs at least the program");
        }
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        removedEnvironment = Set.copyOf(removedEnvironment);
    }

    public LaunchRequest(List<String> argv, Path workingDirectory) {
        this(argv, workingDirectory, Set.of());
    }
}
