package org.flamenco.worker.manager;

import java.util.Objects;

/** The may-i-run answer (protocol-v2.md §4.7); {@code reason} and {@code statusRequested} are "" when absent. */
public record MayKeepRunning(boolean mayKeepRunning, String reason, String statusRequested) {
    public MayKeepRunning {
        reason = Objects.requireNonNullElse(reason, "");
        statusRequested = Objects.requireNonNullElse(statusRequested, "");
    }
}
