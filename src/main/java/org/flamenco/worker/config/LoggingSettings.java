package org.flamenco.worker.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The worker's logging, mapped from the Python {@code logging.config} sections (worker-behaviour.md §2.5).
 *
 * @param libraryLevel {@code [logger_root] level}: level of every logger outside the worker
 * @param workerLevel  {@code [logger_flamenco_worker] level}: level of the worker's own loggers
 * @param console      whether records go to stderr
 * @param file         the log file, when a file handler is active and its arguments could be parsed
 */
public record LoggingSettings(LogLevel libraryLevel, LogLevel workerLevel, boolean console, Optional<LogFile> file) {
    public LoggingSettings {
        Objects.requireNonNull(libraryLevel, "libraryLevel");
        Objects.requireNonNull(workerLevel, "workerLevel");
        Objects.requireNonNull(file, "file");
    }

    /** Without logging sections: console only, worker INFO, libraries WARNING. */
    public static LoggingSettings defaults() {
        return new LoggingSettings(LogLevel.WARNING, LogLevel.INFO, true, Optional.empty());
    }

    /** Levels as Python names them; {@code CRITICAL} maps to ERROR. */
    public enum LogLevel { DEBUG, INFO, WARNING, ERROR }

    /** How the log file is rotated. */
    public enum Rotation {
        /** {@code FileHandler}, or a rotating handler configured never to roll over. */
        NONE,
        /** {@code TimedRotatingFileHandler}: at midnight UTC, keeping {@code backups} old files. */
        DAILY_UTC,
        /** {@code RotatingFileHandler}: when the file would exceed {@code maxBytes}, keeping {@code backups}. */
        SIZE
    }

    /**
     * @param path     absolute path of the active log file
     * @param backups  rotated files kept (0 with {@link Rotation#NONE})
     * @param maxBytes size limit for {@link Rotation#SIZE}, else 0
     */
    public record LogFile(Path path, Rotation rotation, int backups, long maxBytes) {
        public LogFile {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(rotation, "rotation");
        }
    }
}
