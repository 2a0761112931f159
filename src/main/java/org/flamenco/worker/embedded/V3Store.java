package org.flamenco.worker.embedded;

import java.util.ArrayList;
import java.util.List;

/**
 * The "database" of the {@link EmbeddedV3Manager}: the shared {@link JobStore} rules with UUIDs, plus the
 * state-change reports, sign-offs and previews received. Guarded by the lock of the {@link ManagerState} it lives
 * beside (requests, faults and waits are there).
 */
final class V3Store extends JobStore<V3TaskSpec, V3TaskRecord, V3WorkerRecord> {
    private long idCounter;
    private final long instance;

    final List<EmbeddedV3Manager.StateChange> stateChanges = new ArrayList<>();
    final List<LoopbackManager.SignOff> signOffs = new ArrayList<>();
    final List<EmbeddedV3Manager.Preview> previews = new ArrayList<>();

    V3Store(ManagerState state) {
        super(state);
        this.instance = now().toEpochMilli();
    }

    /** A fresh UUID (version-4 layout): the Manager's start time and a counter, unique per Manager. */
    @Override
    String newId() {
        long n = ++idCounter;
        return String.format("%08x-%04x-4%03x-8%03x-%012x", (instance >>> 16) & 0xffffffffL, instance & 0xffff,
                (n >>> 44) & 0xfff, (n >>> 32) & 0xfff, n & 0xffffffffffffL);
    }

    @Override
    V3TaskRecord newRow(String id, String jobId, V3TaskSpec spec, List<String> parentIds) {
        return new V3TaskRecord(id, jobId, spec, parentIds);
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
