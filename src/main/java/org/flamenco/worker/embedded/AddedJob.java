package org.flamenco.worker.embedded;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A job the {@link EmbeddedManager} accepted.
 *
 * @param id             24-hex job id
 * @param taskIdsByName  task name → 24-hex task id, in the order the tasks were given
 */
public record AddedJob(String id, String name, Map<String, String> taskIdsByName) {
    public AddedJob {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        taskIdsByName = Collections.unmodifiableMap(new LinkedHashMap<>(taskIdsByName));
    }

    /** The id of the task called {@code taskName}. */
    public String taskId(String taskName) {
        String id = taskIdsByName.get(taskName);
        if (id == null) {
            throw new NoSuchElementException("job " + name + " has no task " + taskName);
        }
        return id;
    }

    /** Task ids in the order the tasks were given. */
    public List<String> taskIds() {
        return List.copyOf(taskIdsByName.values());
    }
}
