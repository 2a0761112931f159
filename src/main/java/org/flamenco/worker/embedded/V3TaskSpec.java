package org.flamenco.worker.embedded;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A task to add to a job of the {@link EmbeddedV3Manager} (protocol-v3.md §3 {@code AssignedTask}).
 *
 * @param name     task name, unique within its job (parents refer to it)
 * @param taskType task type ({@code blender}, {@code ffmpeg}, {@code file-management}, {@code misc}); only workers
 *                 supporting it get the task
 * @param commands the commands, each {@code {"name", "parameters", "total_step_count"}} ({@link #command})
 * @param parents  names of tasks of the same job that must be {@code completed} before this one runs
 */
public record V3TaskSpec(String name, String taskType, List<Map<String, Object>> commands, List<String> parents)
        implements JobTaskSpec {
    public V3TaskSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(taskType, "taskType");
        List<Map<String, Object>> copy = new ArrayList<>();
        for (Map<String, Object> c : Objects.requireNonNull(commands, "commands")) {
            copy.add(Collections.unmodifiableMap(new LinkedHashMap<>(c)));
        }
        commands = List.copyOf(copy);
        parents = List.copyOf(Objects.requireNonNull(parents, "parents"));
    }

    public V3TaskSpec(String name, String taskType, List<Map<String, Object>> commands) {
        this(name, taskType, commands, List.of());
    }

    /** One command {@code {"name", "parameters", "total_step_count"}}, keeping the parameters' order. */
    public static Map<String, Object> command(String name, Map<String, ?> parameters, int totalStepCount) {
        if (totalStepCount < 0) {
            throw new IllegalArgumentException("total_step_count must be >= 0: " + totalStepCount);
        }
        Map<String, Object> cmd = new LinkedHashMap<>();
        cmd.put("name", Objects.requireNonNull(name, "name"));
        cmd.put("parameters", new LinkedHashMap<>(Objects.requireNonNull(parameters, "parameters")));
        cmd.put("total_step_count", totalStepCount);
        return cmd;
    }

    /** A command that reports no steps of its own ({@code total_step_count} 0: one step when it finishes). */
    public static Map<String, Object> command(String name, Map<String, ?> parameters) {
        return command(name, parameters, 0);
    }

    /** The task's {@code steps_total}: the sum over its commands of max(1, {@code total_step_count}). */
    public int stepsTotal() {
        int total = 0;
        for (Map<String, Object> c : commands) {
            Object n = c.get("total_step_count");
            total += Math.max(1, n instanceof Number number ? number.intValue() : 0);
        }
        return total;
    }
}
