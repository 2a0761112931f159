package org.flamenco.worker.manager;

/**
 * What a failed Manager call means, computed once by the protocol client (v2: {@code manager.v2.V2Outcomes}) so that
 * every caller switches on the meaning instead of testing status codes. A success is not an outcome here: it is the
 * method's return value. Each caller still decides its own action per outcome (protocol-v2.md §3 lists them per
 * endpoint; worker-behaviour.md §13.5 for the update queue).
 */
public enum ManagerOutcome {
    /** The Manager does not accept the worker's credentials (v2: 401; v3: 403): the credentials guard acts. */
    AUTH_FAILED,
    /**
     * The Manager refuses this worker record or request for now (v2: 403, which its database lookup can also answer
     * transiently); registration and sign-on treat it as fatal, the update queue retries it a few times.
     * v3 has no such class (its 403 is {@link #AUTH_FAILED}).
     */
    FORBIDDEN,
    /** The addressed thing does not exist (404): an unknown task, an endpoint the Manager does not have. */
    GONE,
    /** The task is not (or no longer) this worker's (409 on a task update; v3 also 404 on one, protocol-v3.md §6). */
    CONFLICT,
    /** The request can never be accepted as it is (400 and any other 4xx not listed here). */
    REJECTED,
    /** The Manager is too busy or timed out reading (408, 429; v3 also 503 with Retry-After): retry later. */
    BUSY,
    /** A server-side error (5xx) or a network failure (no HTTP answer at all): retry later. */
    TRANSIENT,
    /** The expected status with a body that cannot be used. */
    BAD_REPLY;

    /** The same request may well succeed later (BUSY, TRANSIENT): keep it and back off. */
    public boolean retryable() {
        return this == BUSY || this == TRANSIENT;
    }
}
