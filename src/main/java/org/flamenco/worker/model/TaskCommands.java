package org.flamenco.worker.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A task's {@code commands}, decoded once where the task document is read (the Manager clients and
 * {@code exec-task}'s task file): the well-formed commands, and the first problem when the list is malformed. A
 * malformed list is not a bad reply: the task is still handed to the runner, which fails it with a message naming
 * the problem (worker-behaviour.md §8.1 step 4).
 *
 * <p>Commands are checked in order: an object, with a non-empty {@code name} string, with a {@code settings} (v2) or
 * {@code parameters} (Flamenco 3) object, with a {@code total_step_count} integer {@code >= 0} when present (v3
 * only). Decoding stops at the first problem; {@link #commands()} then holds the commands before it.
 */
public final class TaskCommands {
    private final List<CommandSpec> commands;
    private final int listed;
    /** Null when the list is well-formed. */
    private final CommandsProblem problem;

    private TaskCommands(List<CommandSpec> commands, int listed, CommandsProblem problem) {
        this.commands = List.copyOf(commands);
        this.listed = listed;
        this.problem = problem;
    }

    /** A well-formed list of {@code commands}. */
    public static TaskCommands of(List<CommandSpec> commands) {
        return new TaskCommands(commands, commands.size(), null);
    }

    /** A v2 {@code commands} value (decoded JSON as plain Java values; {@code null} when absent). */
    public static TaskCommands decodeV2(Object raw) {
        return decode(raw, "settings", false);
    }

    /** A Flamenco 3 {@code commands} value ({@code parameters}, {@code total_step_count}; protocol-v3.md §3). */
    public static TaskCommands decodeV3(Object raw) {
        return decode(raw, "parameters", true);
    }

    /** The well-formed commands; when {@link #problem()} is present, those before the malformed one. */
    public List<CommandSpec> commands() {
        return commands;
    }

    /** How many entries the document's list has, well-formed or not (0 when it is not a list). */
    public int listed() {
        return listed;
    }

    /** The first problem of a malformed list; empty when the list is well-formed. */
    public Optional<CommandsProblem> problem() {
        return Optional.ofNullable(problem);
    }

    private static TaskCommands decode(Object raw, String settingsKey, boolean stepCounts) {
        if (!(raw instanceof List<?> list)) {
            return new TaskCommands(List.of(), 0, new CommandsProblem(CommandsProblem.Kind.NOT_A_LIST, 0, "", raw));
        }
        List<CommandSpec> commands = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Object element = list.get(i);
            CommandsProblem problem = problemOf(element, i, settingsKey, stepCounts);
            if (problem != null) {
                return new TaskCommands(commands, list.size(), problem);
            }
            commands.add(spec((Map<?, ?>) element, settingsKey, stepCounts));
        }
        return new TaskCommands(commands, list.size(), null);
    }

    /** The problem of one command, or null when it is well-formed. */
    private static CommandsProblem problemOf(Object element, int index, String settingsKey, boolean stepCounts) {
        if (!(element instanceof Map<?, ?> map)) {
            return new CommandsProblem(CommandsProblem.Kind.NOT_AN_OBJECT, index, "", element);
        }
        Object name = map.get("name");
        if (!(name instanceof String s) || s.isEmpty()) {
            return new CommandsProblem(CommandsProblem.Kind.NO_NAME, index, "", name);
        }
        Object settings = map.get(settingsKey);
        if (!(settings instanceof Map<?, ?>)) {
            return new CommandsProblem(CommandsProblem.Kind.BAD_SETTINGS, index, s, settings);
        }
        Object steps = map.get("total_step_count");
        if (stepCounts && steps != null && !isStepCount(steps)) {
            return new CommandsProblem(CommandsProblem.Kind.BAD_STEP_COUNT, index, s, steps);
        }
        return null;
    }

    private static boolean isStepCount(Object value) {
        return (value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= 0
                && ((Number) value).longValue() <= Integer.MAX_VALUE;
    }

    @SuppressWarnings("unchecked")
    private static CommandSpec spec(Map<?, ?> command, String settingsKey, boolean stepCounts) {
        Object steps = command.get("total_step_count");
        int totalStepCount = stepCounts && steps != null ? ((Number) steps).intValue() : 0;
        return new CommandSpec((String) command.get("name"), (Map<String, Object>) command.get(settingsKey),
                totalStepCount);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TaskCommands other && listed == other.listed && commands.equals(other.commands)
                && Objects.equals(problem, other.problem);
    }

    @Override
    public int hashCode() {
        return Objects.hash(commands, listed, problem);
    }

    @Override
    public String toString() {
        return "TaskCommands" + commands + (problem == null ? "" : " malformed: " + problem);
    }
}
