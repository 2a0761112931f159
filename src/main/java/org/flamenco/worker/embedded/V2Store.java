package org.flamenco.worker.embedded;

import java.util.ArrayList;
import java.util.List;

/**
 * The "database" of the {@link EmbeddedManager}: the shared {@link JobStore} rules with ObjectIds, plus the acks,
 * sign-offs and output notices received. Guarded by the lock of the {@link ManagerState} it lives beside.
 */
final class V2Store extends JobStore<TaskSpec, TaskRecord, WorkerRecord> {
    private long idCounter;

    final List<EmbeddedManager.Ack> acks = new ArrayList<>();
    final List<LoopbackManager.SignOff> signOffs = new ArrayList<>();
    final List<EmbeddedManager.OutputNotice> outputs = new ArrayList<>();

    V2Store(ManagerState state) {
        super(state);
    }

    /** A fresh ObjectId: 4 bytes of creation time in seconds, then a counter (unique per Manager). */
    @Override
    String newId() {
        return String.format("%08x%016x", now().getEpochSecond() & 0xffffffffL, ++idCounter);
    }

    @Override
    TaskRecord newRow(String id, String jobId, TaskSpec spec, List<String> parentIds) {
        return new TaskRecord(id, jobId, spec.name(), spec.taskType(), spec.commands(), parentIds);
    }
}
