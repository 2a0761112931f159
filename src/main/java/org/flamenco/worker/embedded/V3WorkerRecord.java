package org.flamenco.worker.embedded;

import java.util.List;

/** Mutable worker row of the {@link V3Store}; guarded by the state's lock. */
final class V3WorkerRecord extends WorkerRow<V3WorkerView> {
    String name;
    boolean lazy;
    boolean canRestart;
    String softwareVersion = "";

    V3WorkerRecord(String id, String secret, String name, String platform, List<String> taskTypes) {
        super(id, secret, platform, taskTypes, "");
        this.name = name;
    }

    /** Records a state change request; an empty status clears it. */
    void request(String status, boolean lazyRequest) {
        statusRequested = status;
        lazy = !status.isEmpty() && lazyRequest;
    }

    @Override
    V3WorkerView view() {
        return new V3WorkerView(id, name, platform, supportedTaskTypes, status, statusRequested, lazy, canRestart,
                softwareVersion, lastSeen);
    }
}
