package org.flamenco.worker.manager;

import java.util.List;
import java.util.Optional;

import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.TaskUpdate;

/**
 * Every worker-facing endpoint of a Flamenco Manager (protocol-v2.md §2–§3), one blocking call each.
 *
 * <p>Contract: thread-safe; every method blocks for at most the configured connect + read timeouts and never retries
 * a POST by itself (retry policy belongs to the caller). An answer other than the endpoint's success code, a network
 * failure, or an unusable body is reported as a {@link ManagerException} whose {@link ManagerException#kind()} and
 * {@link ManagerException#status()} the caller maps to its own outcome. Exception messages never contain secrets or
 * {@code Authorization} values.
 */
public interface ManagerApi {
    /** The base URL requests go to (for log lines). */
    String baseUrl();

    /** Sets the credentials used for Basic auth on every call but registration. */
    void useCredentials(Credentials credentials);

    /** {@code POST /register-worker}; returns the new worker id. The token is minted fresh for this call. */
    String register(Registration registration) throws ManagerException;

    /** {@code POST /sign-on}, expecting 204. */
    void signOn(List<String> supportedTaskTypes, String nickname) throws ManagerException;

    /** {@code POST /task}: 200 task, 204 nothing, 423 status change. */
    FetchResult fetchTask() throws ManagerException;

    /** {@code POST /tasks/{id}/update}, expecting 2xx. */
    void postUpdate(TaskUpdate update) throws ManagerException;

    /** {@code POST /tasks/{id}/return}, expecting 204. */
    void returnTask(String taskId) throws ManagerException;

    /** {@code GET /may-i-run/{id}}. */
    MayKeepRunning mayIRun(String taskId) throws ManagerException;

    /** {@code GET /status-change}: the requested status, or empty on 204. */
    Optional<String> statusChange() throws ManagerException;

    /** {@code POST /ack-status-change/{status}}. */
    void ackStatusChange(String status) throws ManagerException;

    /** {@code POST /sign-off}. */
    void signOff() throws ManagerException;

    /** {@code POST /output-produced} with at least one path. */
    void outputProduced(List<String> paths) throws ManagerException;

    /**
     * Registers a listener run on the calling thread after every response with a status below 500 ("the Manager is
     * reachable", protocol-v2.md §1.8), successful or not; never after a 5xx, a 408 or 429 (the Manager is busy) or a
     * network failure. Used to wake the update sender early. Listeners must be quick and must not call back into this
     * API.
     */
    void onReachable(Runnable listener);
}
