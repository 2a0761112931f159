package org.flamenco.worker.daemon;

/**
 * How the worker process ended; {@code cli} turns it into the exit code (worker-behaviour.md §4.2).
 *
 * @param signal the signal number for {@link Kind#FORCED}, else 0
 */
public record DaemonResult(Kind kind, int signal, String message) {
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
        return new DaemonResult(Kind.CLEAN, 0, "");
    }

    public static DaemonResult of(Kind kind, String message) {
        return new DaemonResult(kind, 0, message);
    }

    public static DaemonResult forced(int signal) {
        return new DaemonResult(Kind.FORCED, signal, "forced exit after a second signal");
    }
}
