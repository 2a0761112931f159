package org.flamenco.worker.daemon;

/**
 * How the worker process ended; {@code cli} turns it into the exit code (worker-behaviour.md §4.2).
 *
 * @param signal the signal number for {@link Kind#FORCED}, else 0
 * @param configKey the {@code [flamenco-worker]} key at fault for {@link Kind#CONFIG_ERROR} (its {@code message}
 *                  says what was wrong and what is expected), else empty
 */
public record DaemonResult(Kind kind, int signal, String message, String configKey) {
    public enum Kind {
        CLEAN,
        REGISTRATION_REFUSED,
        NO_MANAGER_FOUND,
        QUEUE_UNUSABLE,
        /** A configuration value found unusable only when used (metrics_listen cannot be bound). */
        CONFIG_ERROR,
        FORCED,
        /** A clean shutdown after a Flamenco 3 {@code restart} request: exit with {@code restart_exit_code}. */
        RESTART_REQUESTED
    }

    public static DaemonResult clean() {
        return new DaemonResult(Kind.CLEAN, 0, "", "");
    }

    public static DaemonResult of(Kind kind, String message) {
        return new DaemonResult(kind, 0, message, "");
    }

    /** A value of {@code key} found unusable when it was used; {@code cli} names the file it came from. */
    public static DaemonResult configError(String key, String problem) {
        return new DaemonResult(Kind.CONFIG_ERROR, 0, problem, key);
    }

    public static DaemonResult forced(int signal) {
        return new DaemonResult(Kind.FORCED, signal, "forced exit after a second signal", "");
    }
}
