package org.flamenco.worker.embedded;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Turns a job of {@link TaskSpec}s into task rows; parents named in a spec are resolved to task ids. */
final class JobBuilder {
    private final ManagerState state;

    JobBuilder(ManagerState state) {
        this.state = Objects.requireNonNull(state, "state");
    }

    /** Called under the state lock. */
    AddedJob add(String name, List<TaskSpec> specs) {
        Objects.requireNonNull(name, "name");
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("job " + name + " has no tasks");
        }
        Map<String, String> ids = new LinkedHashMap<>();
        for (TaskSpec spec : specs) {
            if (ids.put(spec.name(), state.newObjectId()) != null) {
                throw new IllegalArgumentException("job " + name + " has two tasks called " + spec.name());
            }
        }
        String jobId = state.newObjectId();
        List<TaskRecord> rows = new ArrayList<>();
        for (TaskSpec spec : specs) {
            List<String> parentIds = new ArrayList<>();
            for (String parent : spec.parents()) {
                String parentId = ids.get(parent);
                if (parentId == null) {
                    throw new IllegalArgumentException("task " + spec.name() + " of job " + name
                            + " names unknown parent " + parent);
                }
                parentIds.add(parentId);
            }
            rows.add(new TaskRecord(ids.get(spec.name()), jobId, spec.name(), spec.taskType(), spec.commands(),
                    parentIds));
        }
        rows.forEach(t -> state.tasks.put(t.id, t));
        state.jobStatuses.put(jobId, "queued");
        state.jobNames.put(jobId, name);
        return new AddedJob(jobId, name, ids);
    }
}
