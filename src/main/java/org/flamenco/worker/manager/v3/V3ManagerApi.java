package org.flamenco.worker.manager.v3;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.manager.FetchResult;
import org.flamenco.worker.manager.ManagerApi;
import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.manager.ManagerOutcome;
import org.flamenco.worker.manager.MayKeepRunning;
import org.flamenco.worker.manager.Registration;
import org.flamenco.worker.manager.RequestObserver;
import org.flamenco.worker.manager.v2.AuthMode;
import org.flamenco.worker.manager.v2.HeaderInterceptor;
import org.flamenco.worker.manager.v2.ManagerHttpClient;
import org.flamenco.worker.manager.v2.RetryAfterStash;
import org.flamenco.worker.manager.v2.Scrubber;
import org.flamenco.worker.manager.v2.V2Settings;
import org.flamenco.worker.model.BuildInfo;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;
import org.flamenco.worker.model.TaskUpdate;
import org.flamenco.worker.model.WorkerStatus;

/**
 * The Flamenco 3 Manager client (protocol-v3.md) on OkHttp + Jackson: every worker endpoint under
 * {@code <base>/api/v3/worker/}, one blocking call each.
 *
 * <p>Transport rules: pre-emptive Basic auth (worker UUID and secret) on everything but registration, a
 * {@code User-Agent} on everything, JSON bodies as {@code application/json} without {@code null}s, empty POSTs with
 * {@code Content-Length: 0}, the preview as raw {@code image/jpeg} bytes with a {@code Content-Length}. Requests are
 * never retried by the client (the caller owns retry policy; OkHttp's own 503 retry is defused, see
 * {@link RetryAfterStash}); redirects are not followed; TLS as in v2 ({@code manager_ca_file}, host names verified).
 *
 * <p>Thread-safe; every call blocks for at most connect + read timeout. An interrupted call ends as a network
 * failure with the thread's interrupt flag set. V3Reply texts in exceptions and logs are scrubbed of the secret and
 * the Basic value.
 */
public final class V3ManagerApi implements ManagerApi, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(V3ManagerApi.class);
    private static final MediaType JSON = MediaType.get("application/json");
    private static final MediaType JPEG = MediaType.get("image/jpeg");
    /** The Manager refuses larger previews with 413 (protocol-v3.md §2). */
    public static final int MAX_PREVIEW_BYTES = 25 * 1024 * 1024;
    private static final int LOG_BODY_CHARS = 500;
    private static final Pattern ID_SEGMENT = Pattern.compile("/[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}(?=/|$)");

    private final HttpUrl base;
    private final Clock clock;
    private final ObjectMapper json;
    private final V3Replies replies;
    private final HeaderInterceptor headers;
    private final OkHttpClient postClient;
    private final OkHttpClient getClient;
    private final List<Runnable> reachableListeners = new CopyOnWriteArrayList<>();
    private final List<RequestObserver> requestObservers = new CopyOnWriteArrayList<>();
    private final DeliveredStatuses deliveredStatuses = new DeliveredStatuses();
    private final String softwareVersion;
    private final boolean canRestart;
    private final PreviewEncoder previews;
    /** The secret of the latest registration, kept only to scrub it from later reply texts. */
    private volatile Secret registrationSecret = Secret.empty();

    /**
     * @param settings   the same transport settings as the v2 client (URL, timeouts, CA file, User-Agent)
     * @param canRestart sent on sign-on: true only when a {@code restart_exit_code} is configured
     * @param previews   makes the JPEG of a rendered frame for {@code output-produced}
     * @throws IllegalArgumentException the base URL is not an http(s) URL, or the CA file cannot be used
     */
    public V3ManagerApi(V2Settings settings, boolean canRestart, PreviewEncoder previews, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        this.canRestart = canRestart;
        this.previews = Objects.requireNonNull(previews, "previews");
        this.softwareVersion = BuildInfo.version();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.base = ManagerHttpClient.base(settings.baseUrl());
        this.json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        this.replies = new V3Replies(json);
        this.headers = new HeaderInterceptor(settings.userAgent());
        this.postClient = ManagerHttpClient.build(settings, headers);
        this.getClient = postClient.newBuilder().retryOnConnectionFailure(true).build();
    }

    @Override
    public String baseUrl() {
        return base.toString();
    }

    @Override
    public void useCredentials(Credentials credentials) {
        headers.use(credentials);
    }

    /** After every answer below 500 except 408/429/503 (the Manager is reachable and not busy); see v2. */
    @Override
    public void onReachable(Runnable listener) {
        reachableListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** From now on {@code observer} is told about every request as it ends (monitoring). */
    public void observeRequests(RequestObserver observer) {
        requestObservers.add(Objects.requireNonNull(observer, "observer"));
    }

    /** {@code POST /api/v3/worker/register-worker} without auth; returns the new worker UUID. */
    @Override
    public String register(Registration registration) throws ManagerException {
        String endpoint = "POST /api/v3/worker/register-worker";
        registrationSecret = registration.secret();
        V3Requests.Register doc = new V3Requests.Register(registration.secret().reveal(), registration.platform(),
                registration.supportedTaskTypes(), registration.nickname());
        Request request = new Request.Builder().url(worker("register-worker")).post(jsonBody(doc))
                .tag(AuthMode.class, AuthMode.NONE).build();
        V3Reply reply = execute(endpoint, request, postClient,
                new V3Requests.Register(Secret.MASK, doc.platform(), doc.supportedTaskTypes(), doc.name()));
        V3Reply.requireStatus(endpoint, reply, 200);
        return V3Reply.read(endpoint, reply, () -> replies.workerUuid(reply.body()));
    }

    /** {@code POST /api/v3/worker/sign-on}; returns {@code status_requested}, the state to enter now. */
    @Override
    public Optional<WorkerStatus> signOn(List<String> supportedTaskTypes, String nickname) throws ManagerException {
        String endpoint = "POST /api/v3/worker/sign-on";
        V3Requests.SignOn doc = new V3Requests.SignOn(nickname, List.copyOf(supportedTaskTypes), softwareVersion,
                canRestart);
        V3Reply reply = execute(endpoint, jsonPost(worker("sign-on"), doc), postClient, doc);
        V3Reply.requireStatus(endpoint, reply, 200);
        return Optional.of(V3Statuses.requested(V3Reply.read(endpoint, reply, () -> replies.statusRequested(reply.body()))));
    }

    /** {@code POST /api/v3/worker/sign-off}, expecting 204. */
    @Override
    public void signOff() throws ManagerException {
        String endpoint = "POST /api/v3/worker/sign-off";
        V3Reply.requireStatus(endpoint, execute(endpoint, emptyPost(worker("sign-off")), postClient, null), 204);
    }

    /** {@code GET /api/v3/worker/state}: the requested status, or empty on 204 (nothing requested). */
    @Override
    public Optional<WorkerStatus> statusChange() throws ManagerException {
        String endpoint = "GET /api/v3/worker/state";
        V3Reply reply = execute(endpoint, new Request.Builder().url(worker("state")).get().build(), getClient, null);
        if (reply.status() == 204) {
            return Optional.empty();
        }
        V3Reply.requireStatus(endpoint, reply, 200);
        return Optional.of(V3Statuses.requested(V3Reply.read(endpoint, reply, () -> replies.statusRequested(reply.body()))));
    }

    /** {@code POST /api/v3/worker/state-changed {"status": ...}}, expecting 204 (the ack of a state). */
    @Override
    public void ackStatusChange(WorkerStatus status) throws ManagerException {
        String endpoint = "POST /api/v3/worker/state-changed";
        V3Requests.StateChanged doc = new V3Requests.StateChanged(V3Statuses.wire(status));
        V3Reply.requireStatus(endpoint, execute(endpoint, jsonPost(worker("state-changed"), doc), postClient, doc), 204);
    }

    /** {@code POST /api/v3/worker/task}: 200 task, 204 nothing, 423 status change, 409 not awake. */
    @Override
    public FetchResult fetchTask() throws ManagerException {
        String endpoint = "POST /api/v3/worker/task";
        V3Reply reply = execute(endpoint, emptyPost(worker("task")), postClient, null);
        switch (reply.status()) {
            case 204:
                return new FetchResult.NoTask();
            case 423:
                return new FetchResult.StatusChangeRequested(V3Statuses.requested(V3Reply.read(endpoint, reply,
                        () -> replies.statusRequested(reply.body()))));
            case 409:
                return new FetchResult.NotAwake();
            default:
                V3Reply.requireStatus(endpoint, reply, 200);
                FetchResult.Assigned assigned = new FetchResult.Assigned(V3Reply.read(endpoint, reply,
                        () -> replies.task(reply.body())));
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
        V3Reply reply = execute(endpoint, jsonPost(worker("task", update.taskId()), doc), postClient,
                new V3Requests.Update(doc.taskStatus(), doc.activity(), doc.stepsCompleted(), null));
        V3Reply.requireUpdateAccepted(endpoint, reply);
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
        Request request = new Request.Builder().url(worker("task", taskId, "may-i-run")).get().build();
        V3Reply reply = execute(endpoint, request, getClient, null);
        V3Reply.requireStatus(endpoint, reply, 200);
        V3Replies.Answer answer = V3Reply.read(endpoint, reply, () -> replies.mayKeepRunning(reply.body()));
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
        Request request = new Request.Builder().url(worker("task", taskId, "output-produced"))
                .post(RequestBody.create(jpeg, JPEG)).build();
        V3Reply.requireStatus(endpoint, execute(endpoint, request, postClient, null), 202);
    }

    /** Drops idle pooled connections; the client can still be used afterwards. */
    @Override
    public void close() {
        postClient.connectionPool().evictAll();
    }

    private V3Reply execute(String endpoint, Request request, OkHttpClient client, Object docForLog)
            throws ManagerException {
        Scrubber scrub = scrubber();
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {}{}", request.method(), request.url(),
                    docForLog == null ? "" : " " + abbreviate(scrub.apply(write(docForLog))));
        }
        long started = clock.nanoTime();
        V3Reply reply;
        try (Response response = client.newCall(request).execute()) {
            reply = new V3Reply(response.code(), response.body().string(),
                    RetryAfter.parse(response.header(RetryAfterStash.HEADER), clock.now()), scrub);
        } catch (IOException e) {
            LOG.debug("{} failed: {}", endpoint, scrub.apply(String.valueOf(e.getMessage())));
            observe(endpoint, 0, started);
            throw ManagerException.network(endpoint, e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            observe(endpoint, 0, started);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt(); // OkHttp (Kotlin) can throw it undeclared
            }
            throw ManagerException.network(endpoint, e);
        }
        LOG.debug("{} answered {} in {} ms", endpoint, reply.status(),
                TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - started));
        observe(endpoint, reply.status(), started);
        if (reply.status() < 500 && V3Outcomes.of(reply.status()) != ManagerOutcome.BUSY) {
            fireReachable();
        }
        return reply;
    }

    private void observe(String endpoint, int status, long startedNanos) {
        if (requestObservers.isEmpty()) {
            return;
        }
        String template = ID_SEGMENT.matcher(endpoint).replaceAll("/{id}");
        long nanos = clock.nanoTime() - startedNanos;
        for (RequestObserver observer : requestObservers) {
            observer.requestEnded(template, status, nanos);
        }
    }

    private void fireReachable() {
        for (Runnable listener : reachableListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("A reachable-listener failed; ignoring", e);
            }
        }
    }

    private HttpUrl worker(String... segments) {
        HttpUrl.Builder b = base.newBuilder().addPathSegments("api/v3/worker");
        for (String s : segments) {
            b.addPathSegment(s);
        }
        return b.build();
    }

    private static Request emptyPost(HttpUrl url) {
        return new Request.Builder().url(url).post(RequestBody.create(new byte[0], null)).build();
    }

    private Request jsonPost(HttpUrl url, Object doc) {
        return new Request.Builder().url(url).post(jsonBody(doc)).build();
    }

    private RequestBody jsonBody(Object doc) {
        try {
            return RequestBody.create(json.writeValueAsBytes(doc), JSON);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + doc.getClass().getSimpleName(), e);
        }
    }

    private String write(Object doc) {
        try {
            return json.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + doc.getClass().getSimpleName(), e);
        }
    }

    private Scrubber scrubber() {
        List<String> values = new ArrayList<>();
        values.add(headers.secretValue());
        values.add(headers.basicValue());
        values.add(registrationSecret.reveal());
        return new Scrubber(values);
    }

    private static String abbreviate(String s) {
        return s.length() <= LOG_BODY_CHARS ? s : s.substring(0, LOG_BODY_CHARS) + "…";
    }
}
