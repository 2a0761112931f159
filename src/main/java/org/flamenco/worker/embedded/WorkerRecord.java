package org.flamenco.worker.embedded;

import java.util.List;

/** Mutable worker row of the {@link V2Store}; guarded by the state's lock. */
final class WorkerRecord extends WorkerRow<WorkerView> {
    String nickname;
    boolean lazyStatusRequest;
    String currentTask = "";
    String software = "";

    WorkerRecord(String id, String secret, String nickname, String platform, List<String> taskTypes) {
        super(id, secret, platform, taskTypes, "starting");
        this.nickname = nickname;
    }

    /** How the Manager names a worker in task activities and logs. */
    String ident() {
        return nickname + " (" + id + ")";
    }

    /** {@code /task} and {@code /may-i-run} wake the worker on the Manager's side (protocol-v2.md §1.7). */
    void markAwake() {
        if (!"awake".equals(status) && !"testing".equals(status)) {
            status = "awake";
        }
    }

    boolean hasImmediateRequest() {
        return !statusRequested.isEmpty() && !lazyStatusRequest;
    }

    @Override
    WorkerView view() {
        return new WorkerView(id, nickname, platform, supportedTaskTypes, status, statusRequested,
                lazyStatusRequest, currentTask, software, lastSeen, secret);
    }
}
