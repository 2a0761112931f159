package org.flamenco.worker.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code flamenco-worker} command line (PLACEHOLDER: the foundation issue fills in flags and exit codes). */
@Command(name = "flamenco-worker", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Render-farm worker for Flamenco v2 Managers.")
public final class WorkerCli implements Callable<Integer> {

    /** Runs the command line and returns the process exit code. */
    public static int run(String... args) {
        return new CommandLine(new WorkerCli()).execute(args);
    }

    @Override
    public Integer call() {
        return ExitCode.OK;
    }
}
