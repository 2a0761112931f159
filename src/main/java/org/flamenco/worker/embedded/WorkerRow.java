package org.flamenco.worker.embedded;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a worker row of either embedded Manager holds (a v2 {@link WorkerRecord}, a v3 {@link V3WorkerRecord}): the
 * credentials {@link JobStore#authenticate} checks, the task types and status the hand-out rules read. Mutable;
 * guarded by the {@link ManagerState} lock.
 *
 * @param <V> the public snapshot type of the row
 */
abstract class WorkerRow<V> {
    final String id;
    final String secret;
    String platform;
    final List<String> supportedTaskTypes = new ArrayList<>();
    String status;
    String statusRequested = "";
    Instant lastSeen;

    WorkerRow(String id, String secret, String platform, List<String> taskTypes, String status) {
        this.id = id;
        this.secret = secret;
        this.platform = platform;
        this.supportedTaskTypes.addAll(taskTypes);
        this.status = status;
    }

    /** A snapshot, safe to hand out of the lock. */
    abstract V view();
}
