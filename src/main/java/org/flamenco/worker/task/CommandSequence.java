package org.flamenco.worker.task;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.command.CommandContext;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.CommandFailedException;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;
import org.flamenco.worker.command.StopMode;
import org.flamenco.worker.metrics.WorkerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The commands of one execution, in order, each through validate → start → execute → finish (commands.md §1.2);
 * stops at the first failure or at a stop request.
 */
final class CommandSequence {
    private static final Logger LOG = LoggerFactory.getLogger(CommandSequence.class);

    private final Execution execution;
    private final List<TaskCommand> commands;
    private final CommandEnvironment environment;
    private final Clock clock;
    private final OutputListener outputProduced;
    private final Supplier<StopMode> stopMode;
    private final BooleanSupplier stopRequested;
    private final WorkerMetrics metrics;
    /** Flamenco 3 step counting; null for a v2 task. */
    private final StepCount steps;

    CommandSequence(Execution execution, List<TaskCommand> commands, CommandEnvironment environment, Clock clock,
                    OutputListener outputProduced, Supplier<StopMode> stopMode, BooleanSupplier stopRequested,
                    WorkerMetrics metrics) {
        this(execution, commands, environment, clock, outputProduced, stopMode, stopRequested, metrics,
                TaskDialect.V2);
    }

    CommandSequence(Execution execution, List<TaskCommand> commands, CommandEnvironment environment, Clock clock,
                    OutputListener outputProduced, Supplier<StopMode> stopMode, BooleanSupplier stopRequested,
                    WorkerMetrics metrics, TaskDialect dialect) {
        this.steps = dialect.countsSteps() ? new StepCount(execution) : null;
        this.execution = execution;
        this.commands = commands;
        this.environment = environment;
        this.clock = clock;
        this.outputProduced = outputProduced;
        this.stopMode = stopMode;
        this.stopRequested = stopRequested;
        this.metrics = metrics;
    }

    TaskOutcome run() {
        for (TaskCommand command : commands) {
            if (stopRequested.getAsBoolean()) {
                return stopped();
            }
            MDC.put(TaskRunner.MDC_COMMAND, command.identifier());
            try {
                TaskOutcome failure = runOne(command);
                if (failure != null) {
                    return failure;
                }
            } finally {
                MDC.remove(TaskRunner.MDC_COMMAND);
            }
        }
        return new TaskOutcome(TaskOutcome.Kind.COMPLETED, "Task completed", execution.id());
    }

    /** Runs one command; returns null on success, else the (failed or stopped) outcome. */
    private TaskOutcome runOne(TaskCommand command) {
        String name = command.name();
        String identifier = command.identifier();
        PreparedCommand prepared;
        try {
            prepared = command.command().prepare(new Settings(command.settings()), environment);
        } catch (InvalidSettingException e) {
            if (stopRequested.getAsBoolean()) {
                return stopped();
            }
            metrics.commandFinished(name, "failed");
            execution.log(identifier + ": Error in settings: " + e.getMessage());
            return fail(identifier + ": Invalid settings: " + e.getMessage());
        }
        execution.log(name + ": Starting");
        execution.commandStarted(command.index(), "starting " + name);
        Runnable stepCompleted = () -> { };
        if (steps != null) {
            steps.commandStarted(command.totalStepCount());
            stepCompleted = steps::stepCompleted;
        }
        ExecutionReporter reporter = new ExecutionReporter(execution, outputProduced, stepCompleted);
        Result result = execute(prepared, new CommandContext(name, identifier, reporter, environment, stopMode),
                reporter);
        String error = result.error();
        boolean stopping = result.interrupted() || stopRequested.getAsBoolean();
        if (error != null && !stopping) {
            execution.log(identifier + ": Error executing: " + error);
            execution.activity(identifier + ": Error executing: " + error);
        }
        Map<String, Double> timing = new LinkedHashMap<>(reporter.timing());
        execution.log(name + ": command timing information: " + TimingJson.render(timing));
        execution.addTiming(timing);
        metrics.commandFinished(name, stopping ? "stopped" : error != null ? "failed" : "ok");
        if (stopping) {
            return stopped();
        }
        if (error != null) {
            return fail(identifier + ": Error executing: " + error);
        }
        execution.log(name + ": Finished");
        if (steps != null) {
            steps.commandFinished();
        }
        execution.commandFinished(command.index(), "finished " + name);
        return null;
    }

    /** How {@code execute} ended: an error message (null when none), or interrupted. */
    private record Result(String error, boolean interrupted) {
    }

    /** Runs the execute phase, measuring {@code total}; unexpected exceptions become errors. */
    private Result execute(PreparedCommand prepared, CommandContext context, ExecutionReporter reporter) {
        long start = clock.nanoTime();
        try {
            prepared.execute(context);
            return new Result(null, false);
        } catch (CommandFailedException e) {
            return new Result(e.getMessage(), false);
        } catch (InterruptedException e) {
            return new Result(null, true);
        } catch (CaptureFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("{} failed unexpectedly", context.identifier(), e);
            return new Result(e.getClass().getSimpleName() + ": " + e.getMessage(), false);
        } finally {
            reporter.timing("total", (clock.nanoTime() - start) / 1e9);
        }
    }

    private TaskOutcome fail(String activity) {
        execution.activity(activity);
        return new TaskOutcome(TaskOutcome.Kind.FAILED, activity, execution.id());
    }

    private TaskOutcome stopped() {
        return new TaskOutcome(TaskOutcome.Kind.STOPPED, execution.currentActivity(), execution.id());
    }
}
