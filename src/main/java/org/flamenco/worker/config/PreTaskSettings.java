package org.flamenco.worker.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code [pre_task_check]} section and {@code pre_task_check_timeout_seconds} (worker-behaviour.md §8.1).
 *
 * @param readPaths  {@code read*} paths, in file order
 * @param writePaths {@code write*} paths, in file order
 * @param timeout    how long the probes of one check may take
 */
public record PreTaskSettings(List<Path> readPaths, List<Path> writePaths, Duration timeout) {
    public PreTaskSettings {
        readPaths = List.copyOf(readPaths);
        writePaths = List.copyOf(writePaths);
        Objects.requireNonNull(timeout, "timeout");
    }
}
