package org.flamenco.worker.manager.v3;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flamenco.worker.model.WorkerStatus;

/** The {@code WorkerStatus} enum of the Flamenco 3 API (protocol-v3.md §3) and its mapping to {@link WorkerStatus}. */
final class V3Statuses {
    private static final Logger LOG = LoggerFactory.getLogger(V3Statuses.class);
    private static final Set<WorkerStatus> V3 = EnumSet.of(WorkerStatus.STARTING, WorkerStatus.AWAKE,
            WorkerStatus.ASLEEP, WorkerStatus.ERROR, WorkerStatus.TESTING, WorkerStatus.OFFLINE,
            WorkerStatus.RESTART);

    private V3Statuses() {
    }

    /** The status a Flamenco 3 Manager requests; a name v3 does not have is logged and read as {@code asleep}. */
    static WorkerStatus requested(String wire) {
        Optional<WorkerStatus> status = WorkerStatus.fromWire(wire).filter(V3::contains);
        if (status.isEmpty()) {
            LOG.error("We have no way to go to status {}, going to sleep instead", wire);
            return WorkerStatus.ASLEEP;
        }
        return status.get();
    }

    /** The v3 wire name of {@code status}; {@code shutdown} (v2 only) has none. */
    static String wire(WorkerStatus status) {
        if (!V3.contains(status)) {
            throw new IllegalArgumentException("status " + status.wire() + " does not exist in Flamenco 3");
        }
        return status.wire();
    }
}
