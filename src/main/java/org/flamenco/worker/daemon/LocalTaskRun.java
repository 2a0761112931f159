package org.flamenco.worker.daemon;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.clock.SystemClock;
import org.flamenco.worker.command.CommandRegistry;
import org.flamenco.worker.command.StopMode;
import org.flamenco.worker.config.WorkerConfig;
import org.flamenco.worker.metrics.WorkerMetrics;
import org.flamenco.worker.model.CommandSpec;
import org.flamenco.worker.model.CommandsProblem;
import org.flamenco.worker.model.Task;
import org.flamenco.worker.outbox.ConsoleOutbox;
import org.flamenco.worker.process.RunningTree;
import org.flamenco.worker.task.TaskOutcome;
import org.flamenco.worker.task.TaskDialect;
import org.flamenco.worker.task.TaskRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code exec-task}: one task run on this machine without a Manager, for debugging a job type. The same
 * {@link TaskRunner}, commands and subprocess rules as the worker (kill grace, inactivity timeout, PID file from the
 * configuration), but updates go to a {@link ConsoleOutbox} instead of the queue.
 *
 * <p>While {@link #run} runs, SIGINT (Ctrl+C) and SIGTERM stop the task: the first signal gracefully (TERM, kill
 * grace, KILL of the whole process tree), a second one at once. A leftover subprocess named by the PID file is not
 * killed here (a worker on this machine may own it); the PID-file check then fails the task instead.
 */
public final class LocalTaskRun implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalTaskRun.class);
    /** The task-log line after a stop by Ctrl+C. */
    public static final String STOP_LINE = "Task stopped by Ctrl+C (SIGINT)";
    /** The task-log line after a stop by SIGTERM (kill, a service manager, a CI job's time-out). */
    public static final String TERM_STOP_LINE = "Task stopped by SIGTERM";
    private static final int SIGINT = 2;
    private static final int SIGTERM = 15;

    private final PrintWriter console;
    private volatile int stopSignal;
    private final TaskRuntime runtime;
    private final CommandRegistry registry;
    /** {@code settings} (v2) or {@code parameters} (v3). */
    private final String settingsKey;
    private final ConsoleOutbox outbox;
    private final TaskRunner runner;
    private final AtomicInteger interrupts = new AtomicInteger();

    private LocalTaskRun(PrintWriter console, TaskRuntime runtime, CommandRegistry registry, ConsoleOutbox outbox,
                         TaskRunner runner, String settingsKey) {
        this.settingsKey = settingsKey;
        this.console = console;
        this.runtime = runtime;
        this.registry = registry;
        this.outbox = outbox;
        this.runner = runner;
    }

    /** Wires the runner from {@code config}; task logs and activity changes go to {@code console}. */
    public static LocalTaskRun create(WorkerConfig config, PrintWriter console) throws IOException {
        return create(config, console, TaskDialect.V2);
    }

    /** As {@link #create(WorkerConfig, PrintWriter)} for a task of {@code dialect} (v3: the v3 commands). */
    public static LocalTaskRun create(WorkerConfig config, PrintWriter console, TaskDialect dialect)
            throws IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(console, "console");
        Clock clock = new SystemClock();
        TaskRuntime runtime = TaskRuntime.create(config, clock);
        ConsoleOutbox outbox = new ConsoleOutbox(console, clock);
        TaskRunner runner = runtime.runner(dialect, outbox, (taskId, path) -> console.println(">> output produced: "
                + path), runtime.pidFile(), new RunningTree(), WorkerMetrics.NONE);
        return new LocalTaskRun(console, runtime, runtime.registry(dialect), outbox, runner, dialect.settingsKey());
    }

    /**
     * The structure problem that keeps {@code task} from running, checked before anything runs: commands must be a
     * list of objects, each with a known {@code name} and a {@code settings} object. Empty when it can run (bad
     * setting values are the runner's to report, as a failed task).
     */
    public Optional<String> structureProblem(Task task) {
        List<CommandSpec> specs = task.commands().commands();
        for (int i = 0; i < specs.size(); i++) {
            Optional<String> unknown = unknown(specs.get(i).name(), i);
            if (unknown.isPresent()) {
                return unknown;
            }
        }
        return task.commands().problem().flatMap(this::describe);
    }

    /** A decoding problem in exec-task's words; a bad {@code total_step_count} is the runner's to report. */
    private Optional<String> describe(CommandsProblem problem) {
        int i = problem.index();
        return switch (problem.kind()) {
            case NOT_A_LIST -> Optional.of("\"commands\" is not a list");
            case NOT_AN_OBJECT -> Optional.of("command " + i + " is not a JSON object");
            case NO_NAME -> Optional.of("command " + i + " has no \"name\"");
            case BAD_SETTINGS -> unknown(problem.name(), i).or(() -> Optional.of(
                    "command " + i + " (" + problem.name() + ") has no \"" + settingsKey + "\" object"));
            case BAD_STEP_COUNT -> unknown(problem.name(), i);
        };
    }

    private Optional<String> unknown(String name, int index) {
        if (registry.find(name).isPresent()) {
            return Optional.empty();
        }
        return Optional.of("command " + index + " has unknown command name '" + name + "' (known: "
                + String.join(", ", new TreeSet<>(registry.names())) + ")");
    }

    /**
     * Runs {@code task} on the calling thread to its end, with SIGINT and SIGTERM stopping it; never throws for a
     * task problem. {@link TaskOutcome.Kind#STOPPED} means a signal ({@link #stopSignal}) or {@link #stop} stopped it.
     */
    public TaskOutcome run(Task task) {
        Optional<SignalHandler> previousInt = handle("INT", signal -> signalled(SIGINT));
        Optional<SignalHandler> previousTerm = handle("TERM", signal -> signalled(SIGTERM));
        try {
            return runner.run(task);
        } finally {
            previousInt.ifPresent(handler -> Signal.handle(new Signal("INT"), handler));
            previousTerm.ifPresent(handler -> Signal.handle(new Signal("TERM"), handler));
        }
    }

    /** The signal that stopped the task first (2 SIGINT, 15 SIGTERM), or 0 when none did. */
    public int stopSignal() {
        return stopSignal;
    }

    /** Stops the running task, killing its process tree; {@code immediate} skips the kill grace. */
    public boolean stop(boolean immediate) {
        return stop(immediate, STOP_LINE);
    }

    private boolean stop(boolean immediate, String stopLine) {
        return runner.stop(immediate ? StopMode.IMMEDIATE : StopMode.GRACEFUL, false, stopLine);
    }

    private void signalled(int signal) {
        boolean first = interrupts.incrementAndGet() == 1;
        if (first) {
            stopSignal = signal;
        }
        if (signal == SIGINT) {
            console.println(first ? "^C: stopping the task (Ctrl+C again to kill it at once)"
                    : "^C: killing the task's processes now");
        } else {
            console.println(first ? "SIGTERM: stopping the task (a second signal kills it at once)"
                    : "SIGTERM: killing the task's processes now");
        }
        stop(!first, signal == SIGINT ? STOP_LINE : TERM_STOP_LINE);
    }

    private static Optional<SignalHandler> handle(String name, SignalHandler handler) {
        try {
            return Optional.of(Signal.handle(new Signal(name), handler));
        } catch (IllegalArgumentException e) {
            LOG.debug("Cannot handle SIG{} on this platform: {}", name, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        outbox.close();
        runtime.close();
    }
}
