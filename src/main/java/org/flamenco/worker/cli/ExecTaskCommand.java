package org.flamenco.worker.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flamenco.worker.config.ConfigException;
import org.flamenco.worker.config.ConfigLoader;
import org.flamenco.worker.config.LoggingSettings;
import org.flamenco.worker.config.LoggingSettings.LogLevel;
import org.flamenco.worker.config.WorkerConfig;
import org.flamenco.worker.daemon.LocalTaskRun;
import org.flamenco.worker.daemon.TaskDocument;
import org.flamenco.worker.daemon.TaskDocumentException;
import org.flamenco.worker.model.Task;
import org.flamenco.worker.task.TaskOutcome;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code flamenco-worker exec-task FILE.json}: runs one task document on this machine without a Manager and prints
 * its task log and activity changes as they happen, for a render wrangler debugging a job type on one node.
 */
@Command(name = "exec-task", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        separator = " ", usageHelpWidth = 110,
        description = {"Run one task locally, without a Manager: the commands of FILE.json run exactly as the worker "
                + "runs them (same commands, subprocess rules and PID file), and the task log lines (with the "
                + "timestamps the Manager would receive) and every status, activity and progress change are "
                + "printed as they happen.",
            "FILE.json is a task as the Manager's /task returns it, or just {\"commands\": [...]}."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the task completed",
            "1:the task failed (the last line says why)",
            "2:usage or configuration error, or a task document that cannot run (missing, not JSON, unknown "
                    + "command)",
            "130:stopped by Ctrl+C (the task's processes are killed)",
            "143:stopped by SIGTERM (the task's processes are killed)"},
        footerHeading = "%n",
        footer = {"Configuration: -c FILE, else ./flamenco-worker.cfg when it exists, else the built-in defaults; "
                + "only subprocess_kill_grace_seconds, subprocess_inactivity_timeout_seconds and "
                + "subprocess_pid_file are used.",
            "",
            "Example:",
            "  flamenco-worker exec-task examples/exec-task-hello.json"})
public final class ExecTaskCommand implements Callable<Integer> {
    /** {@code <name>.(task_id=<id>, command_idx=<i>)} at the start of a failure activity. */
    private static final Pattern IDENTIFIER =
            Pattern.compile("([A-Za-z0-9_-]+)\\.\\(task_id=[^,]*, command_idx=(\\d{1,9})\\)");

    private static final int SIGINT = 2;
    private static final int SIGTERM = 15;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Load this configuration file instead of ./flamenco-worker.cfg.")
    private Path configFile;

    @Option(names = {"-v", "--verbose"}, description = "Also log what the worker does (DEBUG) on stderr.")
    private boolean verbose;

    @Parameters(paramLabel = "FILE.json", description = "The task document to run.")
    private Path taskFile;

    @ParentCommand
    private WorkerCli parent;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CliEnvironment environment = parent.environment();
        Path file = environment.workingDir().resolve(taskFile);
        WorkerConfig config;
        Task task;
        TaskDocument.Parsed parsed;
        try {
            config = loadConfig(environment);
            parsed = new TaskDocument().parse(file);
            task = parsed.task();
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return ExitCode.USAGE;
        } catch (TaskDocumentException e) {
            err.println("exec-task: " + taskFile + ": " + e.getMessage());
            return ExitCode.USAGE;
        }
        environment.logging().apply(new LoggingSettings(LogLevel.WARNING, verbose ? LogLevel.DEBUG : LogLevel.WARNING,
                true, Optional.empty()), false);
        try (LocalTaskRun run = LocalTaskRun.create(config, out, parsed.dialect())) {
            Optional<String> problem = run.structureProblem(task);
            if (problem.isPresent()) {
                err.println("exec-task: " + taskFile + ": " + problem.get());
                return ExitCode.USAGE;
            }
            out.println("Running task " + task.id() + describe(task) + " from " + taskFile);
            TaskOutcome outcome = run.run(task);
            return summary(task, outcome, run.stopSignal(), out);
        }
    }

    private static String describe(Task task) {
        String what = String.join(", ", task.name().isEmpty() ? "" : "'" + task.name() + "'",
                task.taskType().isEmpty() ? "" : "type " + task.taskType()).replaceAll("^, |, $", "");
        return what.isEmpty() ? "" : " (" + what + ")";
    }

    /**
     * The failing command the way a wrangler counts it: {@code at command 2 of 3 (exec): <error>} instead of the
     * Manager-facing identifier {@code exec.(task_id=…, command_idx=1): <error>} (commands.md §1.1), which the task
     * log lines above still show.
     */
    static String countedCommand(String activity, int commandCount) {
        Matcher m = IDENTIFIER.matcher(activity);
        if (!m.lookingAt()) {
            return ": " + activity;
        }
        int index = Integer.parseInt(m.group(2));
        return " at command " + (index + 1) + " of " + commandCount + " (" + m.group(1) + ")" + activity.substring(
                m.end());
    }

    private static int summary(Task task, TaskOutcome outcome, int stopSignal, PrintWriter out) {
        switch (outcome.kind()) {
            case COMPLETED -> {
                out.println("Task " + task.id() + " completed: " + outcome.activity());
                return ExitCode.OK;
            }
            case FAILED -> {
                int count = task.commands().listed();
                out.println("Task " + task.id() + " failed" + countedCommand(outcome.activity(), count));
                return ExitCode.INTERNAL_ERROR;
            }
            default -> {
                int signal = stopSignal == SIGTERM ? SIGTERM : SIGINT;
                out.println("Task " + task.id() + " stopped by " + (signal == SIGTERM ? "SIGTERM" : "Ctrl+C")
                        + " (last activity: " + outcome.activity() + ")");
                return ExitCode.SIGNAL_BASE + signal;
            }
        }
    }

    /**
     * {@code -c FILE}, else {@code ./flamenco-worker.cfg}, else the built-in defaults. The loader has no
     * defaults-only entry point, and an empty file layer yields exactly the built-in defaults, so that is what the
     * last case reads (relative paths still resolve against the working directory).
     */
    private WorkerConfig loadConfig(CliEnvironment environment) throws ConfigException, IOException {
        ConfigLoader loader = new ConfigLoader(environment.workingDir(), environment.homeDir());
        if (configFile != null || Files.exists(environment.workingDir().resolve(ConfigLoader.MAIN_FILE_NAME))) {
            return loader.load(Optional.ofNullable(configFile)).config();
        }
        Path empty = Files.createTempFile("flamenco-worker-exec-task-", ".cfg");
        try {
            return loader.load(Optional.of(empty)).config();
        } finally {
            Files.deleteIfExists(empty);
        }
    }
}
