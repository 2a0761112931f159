package org.flamenco.worker.command;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Supplier;

import org.flamenco.worker.clock.DurationText;
import org.flamenco.worker.process.ChildProcess;
import org.flamenco.worker.process.ExitStatus;
import org.flamenco.worker.process.LaunchRequest;
import org.flamenco.worker.process.LineSink;
import org.flamenco.worker.process.PidFileException;
import org.flamenco.worker.process.ProcessLog;
import org.flamenco.worker.process.ProcessRun;
import org.flamenco.worker.process.ProcessStoppedException;
import org.flamenco.worker.process.ProcessTreeStopper;
import org.flamenco.worker.process.RunOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one subprocess for a command with all the logging and failure texts of commands.md §2. */
final class SubprocessRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SubprocessRunner.class);

    private final CommandContext context;
    private final CommandEnvironment env;
    private final Supplier<StopMode> stopMode;

    SubprocessRunner(CommandContext context, Supplier<StopMode> stopMode) {
        this.context = Objects.requireNonNull(context, "context");
        this.env = context.environment();
        this.stopMode = Objects.requireNonNull(stopMode, "stopMode");
    }

    SubprocessResult run(List<String> argv, LineProcessor processor)
            throws CommandFailedException, InterruptedException {
        String cmdline = ShellWords.join(argv);
        context.log("Executing " + cmdline);
        LOG.info("{}: Executing {}", context.name(), cmdline);
        OptionalLong oomKillsBefore = env.oomKills().oomKills();
        ChildProcess child;
        try {
            child = env.launcher().start(new LaunchRequest(argv, env.workingDirectory()));
        } catch (IOException e) {
            throw new CommandFailedException("Unable to start " + cmdline + ": " + e.getMessage(), e);
        }
        long pid = child.pid();
        ProcessLog log = context::log;
        SubprocessSettings settings = env.subprocessSettings();
        try {
            env.pidFile().claim(pid);
        } catch (PidFileException e) {
            new ProcessTreeStopper(env.clock(), settings.killGrace()).stop(child, log, true);
            closeQuietly(child);
            throw new CommandFailedException(e.getMessage(), e);
        }
        try {
            ProcessRun run = new ProcessRun(child, env.clock(), settings.killGrace(), settings.inactivityTimeout(),
                    log, env.pidFile().recordsTree() ? env.pidFile()::recordTree : null);
            RunOutcome outcome;
            env.runningTree().started(run);
            try {
                outcome = await(run, processor, pid, cmdline);
            } finally {
                env.runningTree().ended(run);
            }
            context.log(outcome.usage().describe());
            if (run.readerFailure().isPresent()) {
                throw new CommandFailedException("Error processing output of pid=" + pid + ": "
                        + run.readerFailure().get(), run.readerFailure().get());
            }
            return interpret(cmdline, pid, outcome, oomKillsBefore);
        } finally {
            env.pidFile().release(pid);
            closeQuietly(child);
        }
    }

    /** The run to its end; a stopped run still reports what it used before the stop goes on. */
    private RunOutcome await(ProcessRun run, LineProcessor processor, long pid, String cmdline)
            throws InterruptedException {
        try {
            return run.await(new LineSink() {
                        @Override
                        public void line(String line) throws InterruptedException {
                            if (LOG.isDebugEnabled()) { // the pid would be boxed for every line
                                LOG.debug("Read line pid={}: {}", pid, line);
                            }
                            processor.process(pid, line);
                        }

                        @Override
                        public void endOfBurst() throws InterruptedException {
                            context.reporter().flushOutput();
                        }
                    }, () -> stopMode.get() == StopMode.IMMEDIATE,
                    status -> context.log("Subprocess " + cmdline + ": Process pid=" + pid + " " + status.describe()));
        } catch (ProcessStoppedException e) {
            context.log(e.outcome().usage().describe());
            throw e;
        }
    }

    private SubprocessResult interpret(String cmdline, long pid, RunOutcome outcome, OptionalLong oomKillsBefore)
            throws CommandFailedException {
        if (outcome.ending() == RunOutcome.Ending.INACTIVITY_TIMEOUT) {
            throw new CommandFailedException("Command pid=" + pid + " timed out after "
                    + DurationText.seconds(env.subprocessSettings().inactivityTimeout())
                    + " seconds without output; its process tree was killed");
        }
        if (outcome.exitStatus().isEmpty()) {
            throw new CommandFailedException("Subprocess " + cmdline + " (pid=" + pid
                    + ") did not end after KILL; still running: " + outcome.survivors());
        }
        ExitStatus status = outcome.exitStatus().get();
        if (status.signal() == ExitStatus.SIGKILL && !outcome.killSent()) {
            throw new CommandFailedException("Subprocess " + cmdline + " (pid=" + pid + ") "
                    + foreignKill(oomKillsBefore, outcome));
        }
        if (status.killedBySignal()) {
            throw new CommandFailedException("Subprocess " + cmdline + " (pid=" + pid + ") terminated by signal "
                    + ExitStatus.signalText(status.signal()));
        }
        if (status.code() != 0) {
            throw new CommandFailedException("Command " + cmdline + " (pid=" + pid + ") failed with status "
                    + status.code());
        }
        return new SubprocessResult(pid);
    }

    /** A SIGKILL from outside: the OOM killer when the kernel's count of its kills rose while the tree ran. */
    private String foreignKill(OptionalLong before, RunOutcome outcome) {
        OptionalLong after = env.oomKills().oomKills();
        if (before.isPresent() && after.isPresent() && after.getAsLong() > before.getAsLong()) {
            return "killed by the kernel's out-of-memory killer; peak memory " + outcome.usage().peakMemory();
        }
        return "killed by signal 9, not sent by the worker";
    }

    private static void closeQuietly(ChildProcess child) {
        try {
            child.output().close();
        } catch (IOException e) {
            LOG.debug("Closing the output of pid={}: {}", child.pid(), e.toString());
        }
    }
}
