package org.flamenco.worker.daemon;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.CommandRegistry;
import org.flamenco.worker.command.SubprocessSettings;
import org.flamenco.worker.command.blender.HelperScripts;
import org.flamenco.worker.command.blender.BlenderCommands;
import org.flamenco.worker.command.ffmpeg.FfmpegCommands;
import org.flamenco.worker.command.file.FileCommands;
import org.flamenco.worker.command.misc.MiscCommands;
import org.flamenco.worker.config.ProcessSettings;
import org.flamenco.worker.config.WorkerConfig;
import org.flamenco.worker.metrics.WorkerMetrics;
import org.flamenco.worker.outbox.Outbox;
import org.flamenco.worker.process.KernelOomKillCounter;
import org.flamenco.worker.process.LauncherKind;
import org.flamenco.worker.process.PidFileGuard;
import org.flamenco.worker.process.RunningTree;
import org.flamenco.worker.process.SubprocessPriority;
import org.flamenco.worker.task.OutputListener;
import org.flamenco.worker.task.TaskDialect;
import org.flamenco.worker.task.TaskRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What running a task on this machine needs, built from the configuration in one place for the daemon and for
 * {@code exec-task}: the subprocess launcher {@code process_launcher} selects, the Blender helper scripts, the
 * commands of a task dialect, the PID-file guard, the command environment (working directory, priority, kill grace,
 * inactivity timeout) and the {@link TaskRunner} over them. Owns the helper scripts: close it after the last task.
 */
final class TaskRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskRuntime.class);

    private final WorkerConfig config;
    private final Clock clock;
    private final LauncherKind launcher;
    private final HelperScripts helpers;
    private final String searchPath;

    private TaskRuntime(WorkerConfig config, Clock clock, LauncherKind launcher, HelperScripts helpers) {
        this.config = config;
        this.clock = clock;
        this.launcher = launcher;
        this.helpers = helpers;
        this.searchPath = Objects.requireNonNullElse(System.getenv("PATH"), "");
    }

    /** Selects the launcher (logged once) and writes the helper scripts. */
    static TaskRuntime create(WorkerConfig config, Clock clock) throws IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        return new TaskRuntime(config, clock, launcherKind(config), HelperScripts.create());
    }

    /** The launcher {@code process_launcher} selects on this OS, logged once. */
    private static LauncherKind launcherKind(WorkerConfig config) {
        String os = System.getProperty("os.name", "");
        LauncherKind kind = LauncherKind.select(config.subprocess().launcher(), os);
        LOG.info("Subprocesses start through the {} launcher (process_launcher = {}, {})", kind.settingValue(),
                config.subprocess().launcher(), os);
        return kind;
    }

    /** The commands of {@code dialect}'s tasks (commands.md §2–§6 for v2, §7 for v3). */
    static List<Command> commands(TaskDialect dialect, HelperScripts helpers, String searchPath) {
        List<Command> commands = new ArrayList<>();
        if (dialect == TaskDialect.V2) {
            commands.addAll(MiscCommands.v2());
            commands.addAll(FileCommands.v2());
            commands.addAll(BlenderCommands.v2(helpers, searchPath));
            commands.addAll(FfmpegCommands.v2(searchPath));
        } else {
            commands.addAll(MiscCommands.v3());
            commands.addAll(FileCommands.v3());
            commands.addAll(BlenderCommands.v3(searchPath));
            commands.addAll(FfmpegCommands.v3(searchPath));
        }
        return commands;
    }

    /** The command registry of {@code dialect}. */
    CommandRegistry registry(TaskDialect dialect) {
        return new CommandRegistry(commands(dialect, helpers, searchPath));
    }

    /** The guard of {@code subprocess_pid_file}; disabled when the setting is empty. Cleans up nothing. */
    PidFileGuard pidFile() {
        return config.subprocess().pidFile()
                .map(file -> new PidFileGuard(file, clock, launcher.processGroups()))
                .orElseGet(PidFileGuard::disabled);
    }

    /**
     * A task runner for {@code dialect}'s tasks, capturing into {@code outbox}.
     *
     * @param outputs     told about files commands produced
     * @param runningTree told which subprocess is supervised (the monitoring's task-tree figures)
     */
    TaskRunner runner(TaskDialect dialect, Outbox outbox, OutputListener outputs, PidFileGuard pidFile,
                      RunningTree runningTree, WorkerMetrics metrics) {
        ProcessSettings subprocess = config.subprocess();
        CommandEnvironment environment = new CommandEnvironment(config.workingDir(), clock,
                launcher.create(new SubprocessPriority(subprocess.oomScoreAdjust(), subprocess.nice())),
                new SubprocessSettings(subprocess.killGrace(), subprocess.inactivityTimeout()), pidFile,
                new KernelOomKillCounter(), runningTree);
        return new TaskRunner(registry(dialect), outbox, clock, outputs, environment, metrics, dialect);
    }

    @Override
    public void close() {
        helpers.close();
    }
}
