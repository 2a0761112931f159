package org.flamenco.worker.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandRegistry;
import org.flamenco.worker.model.CommandSpec;
import org.flamenco.worker.model.CommandsProblem;
import org.flamenco.worker.model.Task;

/**
 * A task's decoded commands matched to the registry before anything runs (worker-behaviour.md §8.1 step 4): the
 * first malformed or unknown command, in document order, makes the task invalid. For one command the checks run
 * as the original worker ran them: an object, a name, settings, a known name, then (v3) {@code total_step_count}.
 */
final class TaskCommandsCheck {
    private final CommandRegistry registry;

    TaskCommandsCheck(CommandRegistry registry) {
        this.registry = registry;
    }

    List<TaskCommand> resolve(Task task) throws InvalidTaskException {
        List<CommandSpec> specs = task.commands().commands();
        List<TaskCommand> commands = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            CommandSpec spec = specs.get(i);
            commands.add(new TaskCommand(i, known(spec.name(), i, task), spec.settings(), task.id(),
                    spec.totalStepCount()));
        }
        Optional<CommandsProblem> problem = task.commands().problem();
        if (problem.isPresent()) {
            throw invalid(problem.get(), task);
        }
        return List.copyOf(commands);
    }

    private InvalidTaskException invalid(CommandsProblem problem, Task task) throws InvalidTaskException {
        String command = "Command " + problem.index() + " of task " + task.id();
        return switch (problem.kind()) {
            case NOT_A_LIST, NOT_AN_OBJECT ->
                    new InvalidTaskException("Task " + task.id() + " has no valid \"commands\" list");
            case NO_NAME -> new InvalidTaskException(command + " has no name");
            case BAD_SETTINGS -> new InvalidTaskException(command + " has malformed settings "
                    + PythonValue.repr(problem.value()));
            case BAD_STEP_COUNT -> {
                known(problem.name(), problem.index(), task); // an unknown name is reported first
                yield new InvalidTaskException(command + " has malformed total_step_count "
                        + PythonValue.repr(problem.value()) + " (expected an integer >= 0)");
            }
        };
    }

    private Command known(String name, int index, Task task) throws InvalidTaskException {
        Optional<Command> command = registry.find(name);
        if (command.isEmpty()) {
            throw new InvalidTaskException("Command " + index + " of task " + task.id() + " has unknown command name '"
                    + name + "'");
        }
        return command.get();
    }
}
