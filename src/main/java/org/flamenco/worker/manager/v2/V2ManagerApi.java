package org.flamenco.worker.manager.v2;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.manager.FetchResult;
import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.manager.MayKeepRunning;
import org.flamenco.worker.manager.Registration;
import org.flamenco.worker.model.Secret;
import org.flamenco.worker.model.TaskUpdate;
import org.flamenco.worker.model.WorkerStatus;

/**
 * The Flamenco v2 Manager client (protocol-v2.md §1–§4) on OkHttp + Jackson.
 *
 * <p>Transport rules: pre-emptive Basic auth on everything but registration, {@code User-Agent} on everything,
 * JSON bodies as {@code application/json; charset=utf-8}, empty POSTs with {@code Content-Length: 0}. POSTs are never
 * retried by the client (the caller owns retry policy); GETs may be retried once by OkHttp after a stale pooled
 * connection. Redirects are not followed, so {@code Authorization} never reaches another host. TLS trusts the system
 * store plus {@code manager_ca_file}, with host-name verification always on.
 *
 * <p>Thread-safe; every call blocks for at most connect + read timeout. An interrupted call ends as a
 * {@code NETWORK} failure with the thread's interrupt flag set. Replies and exception texts are scrubbed of
 * the worker secret, the registration secret, the token and the Basic value.
 */
public final class V2ManagerApi extends HttpManagerApi {
    private static final Logger LOG = LoggerFactory.getLogger(V2ManagerApi.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    /** The id (or status) segment of an endpoint, replaced by {@code {id}} for monitoring labels. */
    private static final Pattern ID_SEGMENT = Pattern.compile("^(\\S+ /(?:tasks|may-i-run|ack-status-change)/)[^/]+");

    private final WireReplies replies;
    private final UpdateBodies updateBodies;

    /**
     * @throws IllegalArgumentException the base URL is not an http(s) URL, or the CA file cannot be used (message
     *                                  names the file and the reason)
     */
    public V2ManagerApi(V2Settings settings, Clock clock) {
        super(settings, List.of(), JSON, clock);
        warnOnUserInfo(settings.baseUrl());
        this.replies = new WireReplies(json());
        this.updateBodies = new UpdateBodies(json(), JSON);
        if (!url("task").encodedPath().equals("/task")) {
            LOG.info("Manager URL has a path prefix; tasks are fetched from {}", url("task"));
        }
    }

    @Override
    public String register(Registration registration) throws ManagerException {
        String endpoint = "POST /register-worker";
        WorkerRegistrationDoc doc = new WorkerRegistrationDoc(registration.secret().reveal(), registration.platform(),
                registration.supportedTaskTypes(), registration.nickname());
        Optional<Secret> token = RegistrationToken.mint(registration.registrationSecret(), clock().now());
        Request.Builder request = new Request.Builder().url(url("register-worker"))
                .post(jsonBody(doc)).tag(AuthMode.class, AuthMode.NONE);
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t.reveal()));
        WorkerRegistrationDoc masked = new WorkerRegistrationDoc(Secret.MASK, doc.platform(),
                doc.supportedTaskTypes(), doc.nickname());
        scrubRegistrationSecrets(List.of(registration.secret(), registration.registrationSecret(),
                token.orElse(Secret.empty())));
        ManagerReply reply = call(endpoint, request.build(), masked);
        requireSuccess(endpoint, reply);
        return reply.read(endpoint, replies::workerId);
    }

    /** {@code POST /sign-on}, expecting 204; v2 never names a status to enter, so the result is always empty. */
    @Override
    public Optional<WorkerStatus> signOn(List<String> supportedTaskTypes, String nickname) throws ManagerException {
        WorkerSignonDoc doc = new WorkerSignonDoc(List.copyOf(supportedTaskTypes), nickname);
        postExpectingSuccess("POST /sign-on", url("sign-on"), jsonBody(doc), doc);
        return Optional.empty();
    }

    @Override
    public FetchResult fetchTask() throws ManagerException {
        String endpoint = "POST /task";
        ManagerReply reply = call(endpoint, emptyPost(url("task")), null);
        if (reply.status() == 204) {
            return new FetchResult.NoTask();
        }
        if (reply.status() == 423) {
            return new FetchResult.StatusChangeRequested(
                    WireStatuses.V2.requested(reply.read(endpoint, replies::statusRequested)));
        }
        requireSuccess(endpoint, reply);
        return new FetchResult.Assigned(reply.read(endpoint, replies::task));
    }

    @Override
    public void postUpdate(TaskUpdate update) throws ManagerException {
        TaskUpdateDoc doc = TaskUpdateDoc.of(update);
        postExpectingSuccess("POST /tasks/" + update.taskId() + "/update",
                url("tasks", update.taskId(), "update"), updateBodies.of(doc), doc);
    }

    /** v2 has {@code POST /tasks/{id}/return}. */
    @Override
    public boolean canReturnTasks() {
        return true;
    }

    @Override
    public void returnTask(String taskId) throws ManagerException {
        postExpectingSuccess("POST /tasks/" + taskId + "/return", url("tasks", taskId, "return"), null, null);
    }

    @Override
    public MayKeepRunning mayIRun(String taskId) throws ManagerException {
        String endpoint = "GET /may-i-run/" + taskId;
        ManagerReply reply = call(endpoint, get(url("may-i-run", taskId)), null);
        requireSuccess(endpoint, reply);
        WireReplies.MayKeepRunningDoc doc = reply.read(endpoint, replies::mayKeepRunning);
        Optional<WorkerStatus> requested = doc.statusRequested().isEmpty() ? Optional.empty()
                : Optional.of(WireStatuses.V2.requested(doc.statusRequested()));
        return new MayKeepRunning(doc.mayKeepRunning(), doc.reason(), requested.isPresent(), requested);
    }

    @Override
    public Optional<WorkerStatus> statusChange() throws ManagerException {
        String endpoint = "GET /status-change";
        ManagerReply reply = call(endpoint, get(url("status-change")), null);
        if (reply.status() == 204) {
            return Optional.empty();
        }
        requireSuccess(endpoint, reply);
        return Optional.of(WireStatuses.V2.requested(reply.read(endpoint, replies::statusRequested)));
    }

    @Override
    public void ackStatusChange(WorkerStatus status) throws ManagerException {
        String wire = WireStatuses.V2.wire(status);
        postExpectingSuccess("POST /ack-status-change/" + wire, url("ack-status-change", wire), null, null);
    }

    @Override
    public void signOff() throws ManagerException {
        postExpectingSuccess("POST /sign-off", url("sign-off"), null, null);
    }

    /** {@code POST /output-produced} with every path (the Manager reads the files; the task id is not sent). */
    @Override
    public void outputProduced(String taskId, List<String> paths) throws ManagerException {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("output-produced needs at least one path");
        }
        FileProducedDoc doc = new FileProducedDoc(List.copyOf(paths));
        postExpectingSuccess("POST /output-produced", url("output-produced"), jsonBody(doc), doc);
    }

    /**
     * "The Manager is reachable" (protocol-v2.md §1.8): a status below 500, except 408 and 429 (a Manager that says
     * it is too busy is no reason for the update sender to stop backing off).
     */
    @Override
    protected boolean signalsReachable(int status) {
        return V2Outcomes.signalsReachable(status);
    }

    @Override
    protected String endpointLabel(String endpoint) {
        return ID_SEGMENT.matcher(endpoint).replaceFirst("$1{id}");
    }

    private void postExpectingSuccess(String endpoint, HttpUrl url, RequestBody body, Object docForLog)
            throws ManagerException {
        Request request = body == null ? emptyPost(url) : new Request.Builder().url(url).post(body).build();
        requireSuccess(endpoint, call(endpoint, request, docForLog));
    }

    private static void requireSuccess(String endpoint, ManagerReply reply) throws ManagerException {
        if (!reply.isSuccess()) {
            throw reply.failure(endpoint, V2Outcomes.of(reply.status()));
        }
    }

    private static void warnOnUserInfo(String baseUrl) {
        HttpUrl parsed = HttpUrl.parse(baseUrl.strip());
        if (!parsed.username().isEmpty() || !parsed.password().isEmpty()) {
            LOG.warn("Ignoring user info in the Manager URL; the worker authenticates with its own credentials");
        }
    }
}
