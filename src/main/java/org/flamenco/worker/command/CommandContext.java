package org.flamenco.worker.command;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import org.flamenco.worker.clock.Clock;

/**
 * What a running command gets: its names, the reporter, the environment, and the subprocess runner.
 * One per command execution; used by the task thread (and by output reader threads through the reporter).
 */
public final class CommandContext {
    private final String name;
    private final String identifier;
    private final CommandReporter reporter;
    private final CommandEnvironment environment;
    private final Supplier<StopMode> stopMode;
    private volatile OutputPrefix outputPrefix;

    /**
     * @param name       the wire name, used as the {@code <name>: } log prefix
     * @param identifier {@code <name>.(task_id=<id>, command_idx=<i>)}
     * @param stopMode   asked when the task thread is interrupted while a subprocess runs: how to stop it
     */
    public CommandContext(String name, String identifier, CommandReporter reporter, CommandEnvironment environment,
                          Supplier<StopMode> stopMode) {
        this.name = Objects.requireNonNull(name, "name");
        this.identifier = Objects.requireNonNull(identifier, "identifier");
        this.reporter = Objects.requireNonNull(reporter, "reporter");
        this.environment = Objects.requireNonNull(environment, "environment");
        this.stopMode = Objects.requireNonNull(stopMode, "stopMode");
    }

    /** A context whose interruption always means a graceful stop. */
    public CommandContext(String name, String identifier, CommandReporter reporter, CommandEnvironment environment) {
        this(name, identifier, reporter, environment, () -> StopMode.GRACEFUL);
    }

    public String name() {
        return name;
    }

    public String identifier() {
        return identifier;
    }

    public CommandReporter reporter() {
        return reporter;
    }

    public CommandEnvironment environment() {
        return environment;
    }

    public Clock clock() {
        return environment.clock();
    }

    public Path workingDirectory() {
        return environment.workingDirectory();
    }

    /** Writes {@code <name>: <message>} to the task log. */
    public void log(String message) throws InterruptedException {
        reporter.log(name + ": " + message);
    }

    /**
     * Writes the default output line {@code pid=<pid> > <line>} to the task log (as {@link CommandReporter#outputLine}:
     * lines of one read of the output are captured together).
     */
    public void logOutputLine(long pid, String line) throws InterruptedException {
        OutputPrefix p = outputPrefix;
        if (p == null || p.pid() != pid) {
            p = new OutputPrefix(pid, "pid=" + pid + " > ");
            outputPrefix = p; // immutable: a thread that sees an older one only makes it again
        }
        reporter.outputLine(p.text().concat(line));
    }

    /** {@code pid=<pid> > }, made once per process rather than once per line. */
    private record OutputPrefix(long pid, String text) {
    }

    /** {@link #runSubprocess(List, LineProcessor)} with the default processor ({@code pid=<pid> > <line>}). */
    public SubprocessResult runSubprocess(List<String> argv) throws CommandFailedException, InterruptedException {
        return runSubprocess(argv, this::logOutputLine);
    }

    /**
     * Runs {@code argv} as a subprocess to its end (commands.md §2): logs {@code <name>: Executing <argv>}, starts
     * it in its own process group, claims the PID file, feeds every output line to {@code processor}, logs the
     * exit line, makes sure no process of its group is left and removes the PID file. Blocks the calling thread.
     *
     * @return when the process exited with status 0
     * @throws CommandFailedException non-zero exit ({@code Command <argv> (pid=<pid>) failed with status <rc>}),
     *                                death by signal, inactivity timeout, PID-file race, start failure
     * @throws InterruptedException   the task is being stopped: the process tree has already been stopped
     *                                ({@link StopMode} from the constructor) when this is thrown
     */
    public SubprocessResult runSubprocess(List<String> argv, LineProcessor processor)
            throws CommandFailedException, InterruptedException {
        return new SubprocessRunner(this, stopMode).run(argv, processor);
    }
}
