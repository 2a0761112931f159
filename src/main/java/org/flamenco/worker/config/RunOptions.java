package org.flamenco.worker.config;

/**
 * Command-line switches the running worker needs besides the configuration (worker-behaviour.md §4.1).
 * ({@code --test} and {@code --reregister} are already applied to the {@link LoadedConfig}; they are kept here so
 * the worker can ack {@code testing} and log what it does.)
 *
 * @param verbose status summary at shutdown
 * @param debug   DEBUG level for the worker's own loggers
 * @param test    test mode: ack {@code testing} after sign-on
 * @param single  run one task, then shut down cleanly
 * @param reregister ignore stored credentials and register as a new worker
 */
public record RunOptions(boolean verbose, boolean debug, boolean test, boolean single, boolean reregister) {
}
