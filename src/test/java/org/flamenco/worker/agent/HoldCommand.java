package org.flamenco.worker.agent;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.CommandFailedException;
import org.flamenco.worker.command.CommandRegistry;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;
import org.flamenco.worker.metrics.WorkerMetrics;
import org.flamenco.worker.model.CommandSpec;
import org.flamenco.worker.model.Task;
import org.flamenco.worker.model.TaskCommands;
import org.flamenco.worker.outbox.Outbox;
import org.flamenco.worker.task.TaskDialect;
import org.flamenco.worker.task.TaskRunner;
import org.flamenco.worker.testing.TestEnvironments;

/**
 * The command {@code hold}: a task made of it runs in the real {@link TaskRunner} until the test ends it
 * ({@link #finish}) or the worker stops it (the runner interrupts the task thread). Records what happened.
 */
final class HoldCommand implements Command {
    static final String NAME = "hold";

    /** How the test ends the held command. */
    enum Ending { COMPLETED, FAILED, STOPPED }

    final List<String> events = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<Ending> endings = new LinkedBlockingQueue<>();
    /** A stop (interrupt) is only recorded; the test ends the command with {@link #finish}. */
    volatile boolean ignoresStop;
    /** The command waits for the test (or a stop) now. */
    volatile boolean holding;

    /** A real task runner whose only command is this one, capturing into {@code outbox}. */
    TaskRunner runner(Outbox outbox, Path dir) {
        return new TaskRunner(new CommandRegistry(List.of(this)), outbox, new org.flamenco.worker.clock.SystemClock(),
                (taskId, path) -> { }, TestEnvironments.in(dir), WorkerMetrics.NONE, TaskDialect.V2);
    }

    /** A task of one {@code hold} command. */
    static Task task(String id) {
        return new Task(id, "t", "", "", "sleep", TaskCommands.of(List.of(new CommandSpec(NAME, Map.of()))));
    }

    void finish(Ending ending) {
        endings.add(ending);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment environment) {
        return context -> hold(context.identifier());
    }

    private void hold(String identifier) throws CommandFailedException, InterruptedException {
        events.add("start");
        while (true) {
            Ending ending;
            try {
                holding = true;
                ending = endings.take();
            } catch (InterruptedException e) {
                holding = false;
                events.add("stopped");
                if (ignoresStop) {
                    continue;
                }
                throw e;
            }
            holding = false;
            events.add("end " + ending);
            switch (ending) {
                case COMPLETED -> {
                    return;
                }
                case FAILED -> throw new CommandFailedException("held command failed as the test asked");
                default -> throw new InterruptedException("the test ended the held command as stopped");
            }
        }
    }
}
