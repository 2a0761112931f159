package org.flamenco.worker.manager.v3;

import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.manager.ManagerOutcome;
import org.flamenco.worker.manager.v2.ManagerReply;

/**
 * The one place where a Flamenco 3 Manager's HTTP status becomes a {@link ManagerOutcome} (protocol-v3.md §1, §2,
 * §6), and where an answer other than the endpoint's success becomes a {@link ManagerException}. Callers act on the
 * outcome, never on the status.
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

    /**
     * The outcome of a refused task update (protocol-v3.md §6): 404 (the task is unknown) means the same as 409 (not
     * this worker's task): drop the execution's updates and stop the task if it still runs, so both are
     * {@link ManagerOutcome#CONFLICT}. (v2 keeps its 404 → gone: worker-behaviour.md §13.5 stops only on a 409.)
     */
    static ManagerOutcome ofUpdate(int status) {
        return status == 404 ? ManagerOutcome.CONFLICT : of(status);
    }

    /** Throws the failure {@code reply} is unless it has the {@code expected} status. */
    static void requireStatus(String endpoint, ManagerReply reply, int expected) throws ManagerException {
        if (reply.status() != expected) {
            throw failure(endpoint, reply, of(reply.status()));
        }
    }

    /** A task update's answer: anything but 2xx is a failure classified by {@link #ofUpdate}. */
    static void requireUpdateAccepted(String endpoint, ManagerReply reply) throws ManagerException {
        if (!reply.isSuccess()) {
            throw failure(endpoint, reply, ofUpdate(reply.status()));
        }
    }

    /** A busy answer with a {@code Retry-After} carries the wait for the caller's backoff (protocol-v3.md §11). */
    private static ManagerException failure(String endpoint, ManagerReply reply, ManagerOutcome outcome) {
        if (outcome == ManagerOutcome.BUSY && reply.retryAfter().isPresent()) {
            return ManagerException.busy(endpoint, reply.status(), reply.safe(reply.body()), reply.retryAfter().get());
        }
        return reply.failure(endpoint, outcome);
    }
}
