package org.flamenco.worker.manager;

import java.util.Objects;
import java.util.Optional;

import org.flamenco.worker.model.WorkerStatus;

/**
 * The may-i-run answer (protocol-v2.md §4.7; protocol-v3.md §3).
 *
 * @param reason                "" when absent
 * @param statusChangeRequested the Manager wants the worker to change status (v3 {@code statusChangeRequested};
 *                              v2: a non-empty {@code status_requested}); the target may be unknown
 * @param statusRequested       the status to enter after the task stopped, when the answer names it (v2 only; v3
 *                              tells it through the next {@code /task} 423 or the status poll)
 */
public record MayKeepRunning(boolean mayKeepRunning, String reason, boolean statusChangeRequested,
                             Optional<WorkerStatus> statusRequested) {
    public MayKeepRunning {
        reason = Objects.requireNonNullElse(reason, "");
        statusRequested = Objects.requireNonNullElse(statusRequested, Optional.empty());
        statusChangeRequested = statusChangeRequested || statusRequested.isPresent();
    }

    /** "Yes, keep running", nothing requested. */
    public static MayKeepRunning yes() {
        return new MayKeepRunning(true, "", false, Optional.empty());
    }
}
