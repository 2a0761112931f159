package org.flamenco.worker.embedded;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The "database" of the {@link EmbeddedV3Manager}: workers, jobs, tasks, state-change reports, sign-offs and
 * previews. Guarded by the lock of the {@link ManagerState} it lives beside (requests, faults and waits are there).
 */
final class V3Store {
    private final ManagerState state;
    private long idCounter;
    private final long instance;

    final Map<String, V3WorkerRecord> workers = new LinkedHashMap<>();
    final Map<String, V3TaskRecord> tasks = new LinkedHashMap<>();
    final Map<String, String> jobStatuses = new LinkedHashMap<>();
    final List<EmbeddedV3Manager.StateChange> stateChanges = new ArrayList<>();
    final List<EmbeddedV3Manager.SignOff> signOffs = new ArrayList<>();
    final List<EmbeddedV3Manager.Preview> previews = new ArrayList<>();
    /** How many different workers may fail a task before it is {@code failed} rather than soft-failed. */
    int failuresBeforeHardFail = 1;

    V3Store(ManagerState state) {
        this.state = Objects.requireNonNull(state, "state");
        this.instance = state.now().toEpochMilli();
    }

    /** A fresh UUID (version-4 layout): the Manager's start time and a counter, unique per Manager. */
    String newUuid() {
        long n = ++idCounter;
        return String.format("%08x-%04x-4%03x-8%03x-%012x", (instance >>> 16) & 0xffffffffL, instance & 0xffff,
                (n >>> 44) & 0xfff, (n >>> 32) & 0xfff, n & 0xffffffffffffL);
    }

    /** Adds a job; parents are task names of the same job. Called under the lock. */
    AddedJob addJob(String name, List<V3TaskSpec> specs) {
        Objects.requireNonNull(name, "name");
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("job " + name + " has no tasks");
        }
        Map<String, String> ids = new LinkedHashMap<>();
        for (V3TaskSpec spec : specs) {
            if (ids.put(spec.name(), newUuid()) != null) {
                throw new IllegalArgumentException("job " + name + " has two tasks called " + spec.name());
            }
        }
        String jobId = newUuid();
        List<V3TaskRecord> rows = new ArrayList<>();
        for (V3TaskSpec spec : specs) {
            List<String> parentIds = new ArrayList<>();
            for (String parent : spec.parents()) {
                String parentId = ids.get(parent);
                if (parentId == null) {
                    throw new IllegalArgumentException("task " + spec.name() + " of job " + name
                            + " names unknown parent " + parent);
                }
                parentIds.add(parentId);
            }
            rows.add(new V3TaskRecord(ids.get(spec.name()), jobId, spec, parentIds));
        }
        rows.forEach(t -> tasks.put(t.id, t));
        jobStatuses.put(jobId, "queued");
        return new AddedJob(jobId, name, ids);
    }

    /** The worker's active tasks go back to the queue (it left {@code awake} or signed off). */
    void requeueActiveTasks(V3WorkerRecord w, String why) {
        for (V3TaskRecord t : tasks.values()) {
            if (t.isActive() && w.id.equals(t.workerId)) {
                t.requeue(why);
            }
        }
    }
}
