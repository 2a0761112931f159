package org.flamenco.worker.manager.v2;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flamenco.worker.model.WorkerStatus;

/** The worker statuses of the v2 wire (protocol-v2.md §4.4, §7) and their mapping to {@link WorkerStatus}. */
final class V2Statuses {
    private static final Logger LOG = LoggerFactory.getLogger(V2Statuses.class);
    private static final Set<WorkerStatus> V2 = EnumSet.of(WorkerStatus.STARTING, WorkerStatus.AWAKE,
            WorkerStatus.ASLEEP, WorkerStatus.ERROR, WorkerStatus.TESTING, WorkerStatus.SHUTDOWN);

    private V2Statuses() {
    }

    /**
     * The status a v2 Manager requests. A name v2 does not have cannot be entered: it is logged and read as
     * {@code asleep} (worker-behaviour.md §6.2), exactly as the worker did with unknown names before.
     */
    static WorkerStatus requested(String wire) {
        Optional<WorkerStatus> status = WorkerStatus.fromWire(wire).filter(V2::contains);
        if (status.isEmpty()) {
            LOG.error("We have no way to go to status {}, going to sleep instead", wire);
            return WorkerStatus.ASLEEP;
        }
        return status.get();
    }

    /** The v2 wire name of {@code status}; a v3-only status has none. */
    static String wire(WorkerStatus status) {
        if (!V2.contains(status)) {
            throw new IllegalArgumentException("status " + status.wire() + " does not exist in Flamenco v2");
        }
        return status.wire();
    }
}
