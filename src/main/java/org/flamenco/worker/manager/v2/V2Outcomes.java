package org.flamenco.worker.manager.v2;

import org.flamenco.worker.manager.ManagerOutcome;

/**
 * The one place where a v2 Manager's HTTP status becomes a {@link ManagerOutcome} (protocol-v2.md §1.8, §2;
 * worker-behaviour.md §13.5). Callers act on the outcome, never on the status.
 */
public final class V2Outcomes {
    private V2Outcomes() {
    }

    /** The outcome of a non-success HTTP status (anything but the endpoint's 2xx). */
    public static ManagerOutcome of(int status) {
        return switch (status) {
            case 401 -> ManagerOutcome.AUTH_FAILED;
            case 403 -> ManagerOutcome.FORBIDDEN;
            case 404 -> ManagerOutcome.GONE;
            case 409 -> ManagerOutcome.CONFLICT;
            case 408, 429 -> ManagerOutcome.BUSY;
            default -> status >= 500 ? ManagerOutcome.TRANSIENT : ManagerOutcome.REJECTED;
        };
    }

    /**
     * "The Manager is reachable" (§1.8): a status below 500, except 408 and 429 (a Manager that says it is too busy
     * is no reason for the update sender to stop backing off).
     */
    static boolean signalsReachable(int status) {
        return status < 500 && of(status) != ManagerOutcome.BUSY;
    }
}
