package org.flamenco.worker.embedded;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Mutable worker row of the {@link V3Store}; guarded by the state's lock. */
final class V3WorkerRecord {
    final String id;
    final String secret;
    String name;
    final String platform;
    final List<String> supportedTaskTypes = new ArrayList<>();
    String status = "";
    String statusRequested = "";
    boolean lazy;
    boolean canRestart;
    String softwareVersion = "";
    Instant lastSeen;

    V3WorkerRecord(String id, String secret, String name, String platform, List<String> taskTypes) {
        this.id = id;
        this.secret = secret;
        this.name = name;
        this.platform = platform;
        this.supportedTaskTypes.addAll(taskTypes);
    }

    /** Records a state change request; an empty status clears it. */
    void request(String status, boolean lazyRequest) {
        statusRequested = status;
        lazy = !status.isEmpty() && lazyRequest;
    }

    V3WorkerView view() {
        return new V3WorkerView(id, name, platform, supportedTaskTypes, status, statusRequested, lazy, canRestart,
                softwareVersion, lastSeen);
    }
}
