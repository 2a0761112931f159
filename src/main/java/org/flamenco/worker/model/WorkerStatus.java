package org.flamenco.worker.model;

import java.util.Locale;
import java.util.Optional;

/**
 * Worker states a Manager can request and the worker acknowledges (worker-behaviour.md §6.1; protocol-v3.md §3).
 * {@link #wire()} is the lower-case name both protocols use; which statuses a protocol knows is its client's
 * business ({@code SHUTDOWN} is v2 only, {@code OFFLINE} and {@code RESTART} are v3 only).
 */
public enum WorkerStatus {
    STARTING("starting"),
    AWAKE("awake"),
    ASLEEP("asleep"),
    ERROR("error"),
    TESTING("testing"),
    /** v2: clean shutdown; acknowledged by the sign-off. */
    SHUTDOWN("shutdown"),
    /** v3: clean shutdown with sign-off, exit 0; acknowledged by the sign-off. */
    OFFLINE("offline"),
    /** v3: clean shutdown with sign-off, exit with the configured restart code. */
    RESTART("restart");

    private final String wire;

    WorkerStatus(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The status whose wire name is {@code requested} (case and surrounding blanks ignored), if any. */
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
