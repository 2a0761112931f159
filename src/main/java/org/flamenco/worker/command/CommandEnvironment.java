package org.flamenco.worker.command;

import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.process.PidFileException;
import org.flamenco.worker.process.PidFileGuard;
import org.flamenco.worker.process.OomKillCounter;
import org.flamenco.worker.process.ProcessLauncher;
import org.flamenco.worker.process.RunningTree;

/**
 * The worker-wide things commands use, in validation ({@link Command#prepare}) and, through
 * {@link CommandContext}, in execution: working directory, clock, the subprocess launcher and its rules, the PID-file
 * guard, the OOM-kill counter. Built once by the composition root; immutable and thread-safe.
 */
public final class CommandEnvironment {
    private final Path workingDirectory;
    private final Clock clock;
    private final ProcessLauncher launcher;
    private final SubprocessSettings subprocessSettings;
    private final PidFileGuard pidFile;
    private final OomKillCounter oomKills;
    private final RunningTree runningTree;

    /**
     * @param pidFile  the guard of {@code subprocess_pid_file}; {@link PidFileGuard#disabled()} when it is empty
     * @param oomKills read around every subprocess to tell an out-of-memory kill from another SIGKILL
     */
    public CommandEnvironment(Path workingDirectory, Clock clock, ProcessLauncher launcher,
                              SubprocessSettings subprocessSettings, PidFileGuard pidFile, OomKillCounter oomKills) {
        this(workingDirectory, clock, launcher, subprocessSettings, pidFile, oomKills, new RunningTree());
    }

    /** @param runningTree told which subprocess run is supervised at any moment (read by the monitoring) */
    public CommandEnvironment(Path workingDirectory, Clock clock, ProcessLauncher launcher,
                              SubprocessSettings subprocessSettings, PidFileGuard pidFile, OomKillCounter oomKills,
                              RunningTree runningTree) {
        this.runningTree = Objects.requireNonNull(runningTree, "runningTree");
        this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.subprocessSettings = Objects.requireNonNull(subprocessSettings, "subprocessSettings");
        this.pidFile = Objects.requireNonNull(pidFile, "pidFile");
        this.oomKills = Objects.requireNonNull(oomKills, "oomKills");
    }

    /** Without an OOM-kill counter: a SIGKILL the worker did not send is never taken for an OOM kill. */
    public CommandEnvironment(Path workingDirectory, Clock clock, ProcessLauncher launcher,
                              SubprocessSettings subprocessSettings, PidFileGuard pidFile) {
        this(workingDirectory, clock, launcher, subprocessSettings, pidFile, OptionalLong::empty);
    }

    /** The worker's working directory; relative paths in settings are relative to it (commands.md §1.4). */
    public Path workingDirectory() {
        return workingDirectory;
    }

    /** Resolves a setting's path against the working directory (absolute paths stay as they are). */
    public Path resolve(String path) {
        return workingDirectory.resolve(path);
    }

    public Clock clock() {
        return clock;
    }

    public SubprocessSettings subprocessSettings() {
        return subprocessSettings;
    }

    /**
     * The PID-file check every subprocess command runs as the last validation step (commands.md §2.8): passes
     * when no file exists or the file is stale (then it is deleted with a warning).
     *
     * @throws InvalidSettingException with {@code Subprocess from <p> is still running: pid=<pid>, <exe>, started
     *                                 <time>} or {@code Empty PID file <p>, refusing to create new subprocess just
     *                                 to be sure}
     */
    public void checkPidFile() throws InvalidSettingException {
        try {
            pidFile.check();
        } catch (PidFileException e) {
            throw new InvalidSettingException(e.getMessage());
        }
    }

    RunningTree runningTree() {
        return runningTree;
    }

    ProcessLauncher launcher() {
        return launcher;
    }

    PidFileGuard pidFile() {
        return pidFile;
    }

    OomKillCounter oomKills() {
        return oomKills;
    }
}
