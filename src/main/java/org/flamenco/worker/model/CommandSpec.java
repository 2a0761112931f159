package org.flamenco.worker.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One well-formed command of a task, as decoded at the wire by {@link TaskCommands}.
 *
 * @param name           the command's wire name (non-empty; whether a command of that name exists is the task
 *                       runner's to judge)
 * @param settings       its {@code settings} (v2) or {@code parameters} (Flamenco 3) object as plain Java values:
 *                       {@code String}, {@code Integer}/{@code Long}/{@code BigInteger}, {@code Double},
 *                       {@code Boolean}, {@code List}, {@code Map} and {@code null}; unmodifiable, in document order
 * @param totalStepCount Flamenco 3's {@code total_step_count} (0 for a v2 task or when absent)
 */
public record CommandSpec(String name, Map<String, Object> settings, int totalStepCount) {
    public CommandSpec {
        Objects.requireNonNull(name, "name");
        if (totalStepCount < 0) {
            throw new IllegalArgumentException("totalStepCount must be >= 0, got " + totalStepCount);
        }
        // JSON objects may hold null values, which Map.copyOf rejects
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(settings, "settings")));
    }

    /** A v2 command: {@code name} with {@code settings}, no step count. */
    public CommandSpec(String name, Map<String, Object> settings) {
        this(name, settings, 0);
    }
}
