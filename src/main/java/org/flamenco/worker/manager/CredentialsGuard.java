package org.flamenco.worker.manager;

/**
 * Handles a runtime 401 from any authenticated endpoint (protocol-v2.md §6): re-registers at most once per
 * 10 minutes, one re-registration at a time; concurrent callers wait for its result.
 *
 * <p>Blocking, thread-safe. Implemented by the worker package, which owns registration.
 */
public interface CredentialsGuard {
    /**
     * Called after a 401.
     *
     * @return true when new credentials are in place and the caller may retry at once; false when the 401 must be
     *     treated as a transient failure (backoff), e.g. inside the 10-minute window
     */
    boolean onUnauthorized() throws InterruptedException;
}
