package org.flamenco.worker.embedded;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Mutable worker row of the {@link ManagerState}; guarded by the state's lock. */
final class WorkerRecord {
    final String id;
    final String secret;
    String nickname;
    String platform;
    final List<String> supportedTaskTypes = new ArrayList<>();
    String status = "starting";
    String statusRequested = "";
    boolean lazyStatusRequest;
    String currentTask = "";
    String software = "";
    Instant lastSeen;

    WorkerRecord(String id, String secret, String nickname, String platform, List<String> taskTypes) {
        this.id = id;
        this.secret = secret;
        this.nickname = nickname;
        this.platform = platform;
        this.supportedTaskTypes.addAll(taskTypes);
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

    WorkerView view() {
        return new WorkerView(id, nickname, platform, supportedTaskTypes, status, statusRequested,
                lazyStatusRequest, currentTask, software, lastSeen, secret);
    }
}
