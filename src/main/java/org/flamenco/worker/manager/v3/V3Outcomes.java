package org.flamenco.worker.manager.v3;

import org.flamenco.worker.manager.ManagerOutcome;

/**
 * The one place where a Flamenco 3 Manager's HTTP status becomes a {@link ManagerOutcome} (protocol-v3.md §1, §2,
 * §6). Callers act on the outcome, never on the status.
 */
final class V3Outcomes {
    private V3Outcomes() {
    }

    /** The outcome of a non-success HTTP status (anything but the endpoint's 2xx). */
    static ManagerOutcome of(int status) {
        return switch (status) {
            // v3 answers 403 to bad credentials; 401 never comes from the Manager, but a proxy means the same
            case 401, 403 -> ManagerOutcome.AUTH_FAILED;
            case 404 -> ManagerOutcome.GONE;
            case 409 -> ManagerOutcome.CONFLICT;
            // 503 + Retry-After: the Manager's database is busy; 429: its preview queue is full
            case 408, 429, 503 -> ManagerOutcome.BUSY;
            default -> status >= 500 ? ManagerOutcome.TRANSIENT : ManagerOutcome.REJECTED;
        };
    }
}
