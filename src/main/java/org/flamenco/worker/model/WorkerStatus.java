package org.flamenco.worker.model;

import java.util.Locale;
import java.util.Optional;

/** Worker states (worker-behaviour.md §6.1); the wire names are the ones acked to the Manager. */
public enum WorkerStatus {
    STARTING("starting"),
    AWAKE("awake"),
    ASLEEP("asleep"),
    ERROR("error"),
    TESTING("testing"),
    SHUTDOWN("shutdown");

    private final String wire;

    WorkerStatus(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The status a Manager request names, if it is one the worker knows. */
    public static Optional<WorkerStatus> fromWire(String requested) {
        if (requested == null) {
            return Optional.empty();
        }
        String lower = requested.trim().toLowerCase(Locale.ROOT);
        for (WorkerStatus s : values()) {
            if (s.wire.equals(lower)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
