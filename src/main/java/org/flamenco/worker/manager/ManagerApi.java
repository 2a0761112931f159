package org.flamenco.worker.manager;

import java.util.List;
import java.util.Optional;

import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.TaskUpdate;
import org.flamenco.worker.model.WorkerStatus;

/**
 * Every worker-facing endpoint of a Flamenco Manager, one blocking call each, independent of the protocol version
 * (v2: {@code manager.v2.V2ManagerApi}, protocol-v2.md §2–§3; v3: protocol-v3.md §2).
 *
 * <p>Contract: thread-safe; every method blocks for at most the configured connect + read timeouts and never retries
 * a POST by itself (retry policy belongs to the caller). An answer other than the endpoint's success, a network
 * failure, or an unusable body is reported as a {@link ManagerException} whose {@link ManagerException#outcome()}
 * the implementation computed in one place for its protocol; callers switch on that outcome and never on HTTP
 * status codes. An interrupted call ends as a {@link ManagerOutcome#TRANSIENT} failure with the thread's interrupt
 * flag set. Exception messages never contain secrets or {@code Authorization} values.
 *
 * <p>Worker statuses travel as {@link WorkerStatus}; each implementation maps them to its own wire names. A status
 * request the implementation cannot map to a {@link WorkerStatus} at all is logged by it and reported as
 * {@link WorkerStatus#ASLEEP} (worker-behaviour.md §6.2: "no way to go to that status, going to sleep instead").
 */
public interface ManagerApi {
    /** The base URL requests go to (for log lines). */
    String baseUrl();

    /** Sets the credentials used for Basic auth on every call but registration. */
    void useCredentials(Credentials credentials);

    /** Registers a new worker record; returns the new worker id. v2 mints a fresh registration token per call. */
    String register(Registration registration) throws ManagerException;

    /**
     * Signs on with existing credentials. Returns the status the Manager asks the worker to enter now (v3's sign-on
     * reply); empty when the protocol does not say (v2 always: the worker starts awake).
     */
    Optional<WorkerStatus> signOn(List<String> supportedTaskTypes, String nickname) throws ManagerException;

    /** Asks for a task: a task, no task, a status change, or "not awake" (see {@link FetchResult}). */
    FetchResult fetchTask() throws ManagerException;

    /** Posts one task update. */
    void postUpdate(TaskUpdate update) throws ManagerException;

    /**
     * Whether this protocol can give a stopped task back to the Manager. When false (v3 has no such endpoint: a
     * stopped task is simply not reported further and the Manager re-queues it when the worker leaves awake or
     * signs off), {@link #returnTask} does nothing and succeeds; callers should not announce a return then.
     */
    boolean canReturnTasks();

    /**
     * Gives a stopped task back to the Manager's queue (v2 {@code POST /tasks/{id}/return}); see
     * {@link #canReturnTasks}.
     */
    void returnTask(String taskId) throws ManagerException;

    /** Asks whether the worker may keep running {@code taskId}. */
    MayKeepRunning mayIRun(String taskId) throws ManagerException;

    /** The pending status request, or empty when nothing is requested (polled while asleep). */
    Optional<WorkerStatus> statusChange() throws ManagerException;

    /** Tells the Manager the worker is now in {@code status} (v2 ack-status-change, v3 state-changed). */
    void ackStatusChange(WorkerStatus status) throws ManagerException;

    /** Signs off: the last request of a clean shutdown. */
    void signOff() throws ManagerException;

    /**
     * Announces output files {@code taskId} produced, at least one path, newest last. v2 posts every path (the
     * Manager reads the files); v3 uploads an image made from the newest path to that task.
     */
    void outputProduced(String taskId, List<String> paths) throws ManagerException;

    /**
     * Registers a listener run on the calling thread after every response that shows the Manager is reachable
     * (protocol-v2.md §1.8: status below 500 and not {@link ManagerOutcome#BUSY}), successful or not; never after a
     * 5xx, a busy answer or a network failure. Used to wake the update sender early. Listeners must be quick and must
     * not call back into this API.
     */
    void onReachable(Runnable listener);
}
