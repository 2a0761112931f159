package org.flamenco.worker.manager.v3;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.manager.FetchResult;
import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.manager.ManagerOutcome;
import org.flamenco.worker.manager.MayKeepRunning;
import org.flamenco.worker.manager.Registration;
import org.flamenco.worker.manager.v2.AuthMode;
import org.flamenco.worker.manager.v2.HttpManagerApi;
import org.flamenco.worker.manager.v2.ManagerReply;
import org.flamenco.worker.manager.v2.RetryAfterStash;
import org.flamenco.worker.manager.v2.V2Settings;
import org.flamenco.worker.manager.v2.WireStatuses;
import org.flamenco.worker.model.BuildInfo;
import org.flamenco.worker.model.Secret;
import org.flamenco.worker.model.TaskUpdate;
import org.flamenco.worker.model.WorkerStatus;

/**
 * The Flamenco 3 Manager client (protocol-v3.md) on OkHttp + Jackson: every worker endpoint under
 * {@code <base>/api/v3/worker/}, one blocking call each.
 *
 * <p>Transport rules: pre-emptive Basic auth (worker UUID and secret) on everything but registration, a
 * {@code User-Agent} on everything, JSON bodies as {@code application/json} without {@code null}s, empty POSTs with
 * {@code Content-Length: 0}, the preview as raw {@code image/jpeg} bytes with a {@code Content-Length}. The
 * caller owns retry policy: a POST is never retried by the client, a GET at most once on a connection that turned
 * out to be stale (OkHttp's own 503 retry is defused, see {@link RetryAfterStash}); redirects are not followed;
 * TLS as in v2 ({@code manager_ca_file}, host names verified).
 *
 * <p>Thread-safe; every call blocks for at most connect + read timeout. An interrupted call ends as a network
 * failure with the thread's interrupt flag set. Reply texts in exceptions and logs are scrubbed of the secret and
 * the Basic value.
 */
public final class V3ManagerApi extends HttpManagerApi {
    private static final Logger LOG = LoggerFactory.getLogger(V3ManagerApi.class);
    private static final MediaType JSON = MediaType.get("application/json");
    private static final MediaType JPEG = MediaType.get("image/jpeg");
    /** The Manager refuses larger previews with 413 (protocol-v3.md §2). */
    public static final int MAX_PREVIEW_BYTES = 25 * 1024 * 1024;
    private static final Pattern ID_SEGMENT = Pattern.compile("/[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}(?=/|$)");

    private final V3Replies replies;
    private final DeliveredStatuses deliveredStatuses = new DeliveredStatuses();
    private final String softwareVersion;
    private final boolean canRestart;
    private final PreviewEncoder previews;

    /**
     * @param settings   the same transport settings as the v2 client (URL, timeouts, CA file, User-Agent)
     * @param canRestart sent on sign-on: true only when a {@code restart_exit_code} is configured
     * @param previews   makes the JPEG of a rendered frame for {@code output-produced}
     * @throws IllegalArgumentException the base URL is not an http(s) URL, or the CA file cannot be used
     */
    public V3ManagerApi(V2Settings settings, boolean canRestart, PreviewEncoder previews, Clock clock) {
        super(settings, List.of("api", "v3", "worker"), JSON, clock);
        this.canRestart = canRestart;
        this.previews = Objects.requireNonNull(previews, "previews");
        this.softwareVersion = BuildInfo.version();
        this.replies = new V3Replies(json());
    }

    /** {@code POST /api/v3/worker/register-worker} without auth; returns the new worker UUID. */
    @Override
    public String register(Registration registration) throws ManagerException {
        String endpoint = "POST /api/v3/worker/register-worker";
        scrubRegistrationSecrets(List.of(registration.secret()));
        V3Requests.Register doc = new V3Requests.Register(registration.secret().reveal(), registration.platform(),
                registration.supportedTaskTypes(), registration.nickname());
        Request request = new Request.Builder().url(url("register-worker")).post(jsonBody(doc))
                .tag(AuthMode.class, AuthMode.NONE).build();
        ManagerReply reply = call(endpoint, request,
                new V3Requests.Register(Secret.MASK, doc.platform(), doc.supportedTaskTypes(), doc.name()));
        V3Outcomes.requireStatus(endpoint, reply, 200);
        return reply.read(endpoint, replies::workerUuid);
    }

    /** {@code POST /api/v3/worker/sign-on}; returns {@code status_requested}, the state to enter now. */
    @Override
    public Optional<WorkerStatus> signOn(List<String> supportedTaskTypes, String nickname) throws ManagerException {
        String endpoint = "POST /api/v3/worker/sign-on";
        V3Requests.SignOn doc = new V3Requests.SignOn(nickname, List.copyOf(supportedTaskTypes), softwareVersion,
                canRestart);
        ManagerReply reply = call(endpoint, jsonPost(url("sign-on"), doc), doc);
        V3Outcomes.requireStatus(endpoint, reply, 200);
        return Optional.of(WireStatuses.V3.requested(reply.read(endpoint, replies::statusRequested)));
    }

    /** {@code POST /api/v3/worker/sign-off}, expecting 204. */
    @Override
    public void signOff() throws ManagerException {
        String endpoint = "POST /api/v3/worker/sign-off";
        V3Outcomes.requireStatus(endpoint, call(endpoint, emptyPost(url("sign-off")), null), 204);
    }

    /** {@code GET /api/v3/worker/state}: the requested status, or empty on 204 (nothing requested). */
    @Override
    public Optional<WorkerStatus> statusChange() throws ManagerException {
        String endpoint = "GET /api/v3/worker/state";
        ManagerReply reply = call(endpoint, get(url("state")), null);
        if (reply.status() == 204) {
            return Optional.empty();
        }
        V3Outcomes.requireStatus(endpoint, reply, 200);
        return Optional.of(WireStatuses.V3.requested(reply.read(endpoint, replies::statusRequested)));
    }

    /** {@code POST /api/v3/worker/state-changed {"status": ...}}, expecting 204 (the ack of a state). */
    @Override
    public void ackStatusChange(WorkerStatus status) throws ManagerException {
        String endpoint = "POST /api/v3/worker/state-changed";
        V3Requests.StateChanged doc = new V3Requests.StateChanged(WireStatuses.V3.wire(status));
        V3Outcomes.requireStatus(endpoint, call(endpoint, jsonPost(url("state-changed"), doc), doc), 204);
    }

    /** {@code POST /api/v3/worker/task}: 200 task, 204 nothing, 423 status change, 409 not awake. */
    @Override
    public FetchResult fetchTask() throws ManagerException {
        String endpoint = "POST /api/v3/worker/task";
        ManagerReply reply = call(endpoint, emptyPost(url("task")), null);
        switch (reply.status()) {
            case 204:
                return new FetchResult.NoTask();
            case 423:
                return new FetchResult.StatusChangeRequested(
                        WireStatuses.V3.requested(reply.read(endpoint, replies::statusRequested)));
            case 409:
                return new FetchResult.NotAwake();
            default:
                V3Outcomes.requireStatus(endpoint, reply, 200);
                FetchResult.Assigned assigned = new FetchResult.Assigned(reply.read(endpoint, replies::task));
                deliveredStatuses.forget(assigned.task().id());
                return assigned;
        }
    }

    /**
     * {@code POST /api/v3/worker/task/{id}} with {@code taskStatus}/{@code activity}/{@code log}/
     * {@code steps_completed}, expecting 204. {@code taskStatus} is left out once the same status was accepted for
     * the task (an update that would then be empty is not sent at all).
     */
    @Override
    public void postUpdate(TaskUpdate update) throws ManagerException {
        String endpoint = "POST /api/v3/worker/task/" + update.taskId();
        boolean sendStatus = update.snapshot() == null || update.snapshot().taskStatus() == null
                || !deliveredStatuses.contains(update.taskId(), update.snapshot().taskStatus());
        V3Requests.Update doc = V3Requests.Update.of(update, sendStatus);
        if (doc.isEmpty()) {
            return;
        }
        ManagerReply reply = call(endpoint, jsonPost(url("task", update.taskId()), doc),
                new V3Requests.Update(doc.taskStatus(), doc.activity(), doc.stepsCompleted(), null));
        V3Outcomes.requireUpdateAccepted(endpoint, reply);
        if (doc.taskStatus() != null) {
            deliveredStatuses.put(update.taskId(), update.snapshot().taskStatus());
        }
    }

    /** v3 has no return endpoint: a stopped task is simply not reported further (protocol-v3.md §6). */
    @Override
    public boolean canReturnTasks() {
        return false;
    }

    /** Does nothing (see {@link #canReturnTasks()}). */
    @Override
    public void returnTask(String taskId) {
        LOG.debug("Task {} is not returned: Flamenco 3 re-queues it when the worker leaves awake", taskId);
    }

    /** {@code GET /api/v3/worker/task/{id}/may-i-run}. */
    @Override
    public MayKeepRunning mayIRun(String taskId) throws ManagerException {
        String endpoint = "GET /api/v3/worker/task/" + taskId + "/may-i-run";
        ManagerReply reply = call(endpoint, get(url("task", taskId, "may-i-run")), null);
        V3Outcomes.requireStatus(endpoint, reply, 200);
        V3Replies.Answer answer = reply.read(endpoint, replies::mayKeepRunning);
        return new MayKeepRunning(answer.mayKeepRunning() && !answer.statusChangeRequested(), answer.reason(),
                answer.statusChangeRequested(), Optional.empty());
    }

    /**
     * Uploads a preview made from the newest of {@code paths} ({@code POST /api/v3/worker/task/{id}/output-produced},
     * expecting 202). A format the encoder skips sends nothing. Any other answer (429 when the Manager's preview
     * queue is full, 413, 404, ...) is thrown for the caller to log; the caller never retries it.
     */
    @Override
    public void outputProduced(String taskId, List<String> paths) throws ManagerException {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("output-produced needs at least one path");
        }
        String endpoint = "POST /api/v3/worker/task/" + taskId + "/output-produced";
        String newest = paths.get(paths.size() - 1);
        Optional<byte[]> jpeg;
        try {
            jpeg = previews.jpeg(Path.of(newest));
        } catch (IOException | RuntimeException e) {
            LOG.info("No preview of {} for the Manager: {}", newest, e.getMessage());
            return;
        }
        if (jpeg.isEmpty()) {
            LOG.debug("No preview of {}: not a format the preview encoder reads", newest);
            return;
        }
        uploadPreview(endpoint, taskId, jpeg.get());
    }

    private void uploadPreview(String endpoint, String taskId, byte[] jpeg) throws ManagerException {
        if (jpeg.length == 0 || jpeg.length > MAX_PREVIEW_BYTES) {
            LOG.info("Preview of task {} not sent: {} bytes (the Manager takes 1 to {})", taskId, jpeg.length,
                    MAX_PREVIEW_BYTES);
            return;
        }
        Request request = new Request.Builder().url(url("task", taskId, "output-produced"))
                .post(RequestBody.create(jpeg, JPEG)).build();
        V3Outcomes.requireStatus(endpoint, call(endpoint, request, null), 202);
    }

    /** After every answer below 500 except 408/429/503: the Manager is reachable and not busy (as in v2). */
    @Override
    protected boolean signalsReachable(int status) {
        return status < 500 && V3Outcomes.of(status) != ManagerOutcome.BUSY;
    }

    @Override
    protected String endpointLabel(String endpoint) {
        return ID_SEGMENT.matcher(endpoint).replaceAll("/{id}");
    }
}
