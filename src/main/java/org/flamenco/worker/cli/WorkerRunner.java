package org.flamenco.worker.cli;

import org.flamenco.worker.config.LoadedConfig;
import org.flamenco.worker.config.RunOptions;

/**
 * Runs the worker once the configuration is loaded and logging is set up, and returns the process exit code
 * ({@link ExitCode}). The one seam between the command line and the daemon.
 */
@FunctionalInterface
public interface WorkerRunner {
    int run(LoadedConfig config, RunOptions options) throws Exception;
}
