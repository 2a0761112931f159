package org.flamenco.worker.manager.v2;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flamenco.worker.model.WorkerStatus;

/**
 * The worker statuses one protocol's wire knows and their mapping to {@link WorkerStatus}: v2 (protocol-v2.md §4.4,
 * §7) and Flamenco 3 (protocol-v3.md §3, its {@code WorkerStatus} enum).
 */
public final class WireStatuses {
    /** Flamenco v2: {@code shutdown}, no {@code offline} or {@code restart}. */
    public static final WireStatuses V2 = new WireStatuses("Flamenco v2", EnumSet.of(WorkerStatus.STARTING,
            WorkerStatus.AWAKE, WorkerStatus.ASLEEP, WorkerStatus.ERROR, WorkerStatus.TESTING, WorkerStatus.SHUTDOWN));
    /** Flamenco 3: {@code offline} and {@code restart}, no {@code shutdown}. */
    public static final WireStatuses V3 = new WireStatuses("Flamenco 3", EnumSet.of(WorkerStatus.STARTING,
            WorkerStatus.AWAKE, WorkerStatus.ASLEEP, WorkerStatus.ERROR, WorkerStatus.TESTING, WorkerStatus.OFFLINE,
            WorkerStatus.RESTART));
    private static final Logger LOG = LoggerFactory.getLogger(WireStatuses.class);

    private final String protocol;
    private final Set<WorkerStatus> known;

    private WireStatuses(String protocol, Set<WorkerStatus> known) {
        this.protocol = protocol;
        this.known = known;
    }

    /**
     * The status the Manager requests. A name this protocol does not have cannot be entered: it is logged and read
     * as {@code asleep} (worker-behaviour.md §6.2), exactly as the original worker did with unknown names.
     */
    public WorkerStatus requested(String wire) {
        Optional<WorkerStatus> status = WorkerStatus.fromWire(wire).filter(known::contains);
        if (status.isEmpty()) {
            LOG.error("We have no way to go to status {}, going to sleep instead", wire);
            return WorkerStatus.ASLEEP;
        }
        return status.get();
    }

    /** The wire name of {@code status}; a status of the other protocol only has none. */
    public String wire(WorkerStatus status) {
        if (!known.contains(status)) {
            throw new IllegalArgumentException("status " + status.wire() + " does not exist in " + protocol);
        }
        return status.wire();
    }
}
