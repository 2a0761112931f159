package org.flamenco.worker.task;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.flamenco.worker.command.CommandReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The reporter one command writes to: captures into its execution and collects the command's timing. */
final class ExecutionReporter implements CommandReporter {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionReporter.class);

    private final Execution execution;
    private final OutputListener outputProduced;
    private final Map<String, Double> timing = new LinkedHashMap<>();
    private final Runnable stepCompleted;

    ExecutionReporter(Execution execution, OutputListener outputProduced) {
        this(execution, outputProduced, () -> { });
    }

    /** @param stepCompleted told each step the command reports (Flamenco 3 step counting) */
    ExecutionReporter(Execution execution, OutputListener outputProduced, Runnable stepCompleted) {
        this.execution = execution;
        this.outputProduced = outputProduced;
        this.stepCompleted = stepCompleted;
    }

    @Override
    public void stepCompleted() {
        stepCompleted.run();
    }

    @Override
    public void log(String line) {
        LOG.debug("Task log: {}", line);
        execution.log(line);
    }

    @Override
    public void outputLine(String line) {
        LOG.debug("Task log: {}", line);
        execution.outputLine(line);
    }

    @Override
    public void flushOutput() {
        execution.flushOutput();
    }

    @Override
    public void activity(String activity) {
        execution.activity(activity);
    }

    @Override
    public void commandProgress(int percentage) {
        execution.commandProgress(percentage);
    }

    @Override
    public synchronized void timing(String name, double seconds) {
        timing.merge(name, seconds, Double::sum);
    }

    /** The command's timing so far, in insertion order. */
    synchronized Map<String, Double> timing() {
        return new LinkedHashMap<>(timing);
    }

    @Override
    public void outputProduced(Path file) {
        try {
            outputProduced.outputProduced(execution.id().taskId(), file);
        } catch (RuntimeException e) {
            LOG.warn("Output notice for {} failed: {}", file, e.toString());
        }
    }
}
