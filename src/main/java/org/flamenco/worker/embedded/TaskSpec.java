package org.flamenco.worker.embedded;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A task to add to a job of the {@link EmbeddedManager}.
 *
 * @param name     task name, unique within its job (parents refer to it)
 * @param taskType task type; only workers supporting it get the task
 * @param commands the task's commands as JSON-able values, each {@code {"name": ..., "settings": {...}}}
 * @param parents  names of tasks of the same job that must be {@code completed} before this one runs
 */
public record TaskSpec(String name, String taskType, List<Map<String, Object>> commands, List<String> parents)
        implements JobTaskSpec {
    public TaskSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(taskType, "taskType");
        commands = copyCommands(Objects.requireNonNull(commands, "commands"));
        parents = List.copyOf(Objects.requireNonNull(parents, "parents"));
    }

    public TaskSpec(String name, String taskType, List<Map<String, Object>> commands) {
        this(name, taskType, commands, List.of());
    }

    /** One command document {@code {"name": name, "settings": settings}}, keeping the settings' order. */
    public static Map<String, Object> command(String name, Map<String, ?> settings) {
        Map<String, Object> cmd = new LinkedHashMap<>();
        cmd.put("name", Objects.requireNonNull(name, "name"));
        cmd.put("settings", new LinkedHashMap<>(Objects.requireNonNull(settings, "settings")));
        return cmd;
    }

    private static List<Map<String, Object>> copyCommands(List<Map<String, Object>> commands) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> c : commands) {
            out.add(Collections.unmodifiableMap(new LinkedHashMap<>(c)));
        }
        return List.copyOf(out);
    }
}
