package org.flamenco.worker.manager;

import java.time.Duration;

/**
 * Handles a runtime auth failure ({@link ManagerOutcome#AUTH_FAILED}) from any authenticated endpoint
 * (protocol-v2.md §6): re-registers at most once per 10 minutes, one re-registration at a time, shared by every
 * caller. Implemented by the agent package, which owns registration.
 *
 * <p>Thread-safe. Blocks the caller for at most {@code maxWait} (no lock is held while the re-registration talks
 * to the Manager), and is interruptible.
 */
public interface CredentialsGuard {
    /**
     * Called after an auth failure; starts the shared re-registration, or joins the one in flight, and waits for its
     * result at most {@code maxWait} ({@link Duration#ZERO}: do not wait).
     *
     * @return true when new credentials are in place and the caller may retry at once; false when the failure must
     *     be treated as transient (backoff): the re-registration is still under way, failed, or the 10-minute
     *     window after the last one has not passed
     * @throws InterruptedException the caller was interrupted while waiting (the re-registration goes on)
     */
    boolean onUnauthorized(Duration maxWait) throws InterruptedException;
}
