package org.flamenco.worker.manager.v2;

import java.io.IOException;
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
import org.flamenco.worker.manager.RequestObserver;
import org.flamenco.worker.manager.MayKeepRunning;
import org.flamenco.worker.manager.Registration;
import org.flamenco.worker.model.Credentials;
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
public final class V2ManagerApi implements ManagerApi, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(V2ManagerApi.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final int LOG_BODY_CHARS = 500;
    /** The id (or status) segment of an endpoint, replaced by {@code {id}} for monitoring labels. */
    private static final Pattern ID_SEGMENT = Pattern.compile("^(\\S+ /(?:tasks|may-i-run|ack-status-change)/)[^/]+");

    private final HttpUrl base;
    private final Clock clock;
    private final ObjectMapper json;
    private final WireReplies replies;
    private final HeaderInterceptor headers;
    private final OkHttpClient postClient;
    private final OkHttpClient getClient;
    private final List<Runnable> reachableListeners = new CopyOnWriteArrayList<>();
    private final List<RequestObserver> requestObservers = new CopyOnWriteArrayList<>();
    private final UpdateBodies updateBodies;
    /** Secrets of the latest registration, kept only to scrub them from later reply texts. */
    private volatile List<Secret> registrationSecrets = List.of();

    /**
     * @throws IllegalArgumentException the base URL is not an http(s) URL, or the CA file cannot be used (message
     *                                  names the file and the reason)
     */
    public V2ManagerApi(V2Settings settings, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.base = parseBase(settings.baseUrl());
        this.json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        this.replies = new WireReplies(json);
        this.updateBodies = new UpdateBodies(json, JSON);
        this.headers = new HeaderInterceptor(settings.userAgent());
        this.postClient = ManagerHttpClient.build(settings, headers);
        this.getClient = postClient.newBuilder().retryOnConnectionFailure(true).build();
        if (base.pathSegments().size() > 1 || !base.pathSegments().get(0).isEmpty()) {
            LOG.info("Manager URL has a path prefix; tasks are fetched from {}", url("task"));
        }
    }

    @Override
    public String baseUrl() {
        return base.toString();
    }

    @Override
    public void useCredentials(Credentials credentials) {
        headers.use(credentials);
    }

    @Override
    public void onReachable(Runnable listener) {
        reachableListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** From now on {@code observer} is told about every request as it ends (monitoring). */
    public void observeRequests(RequestObserver observer) {
        requestObservers.add(Objects.requireNonNull(observer, "observer"));
    }

    @Override
    public String register(Registration registration) throws ManagerException {
        String endpoint = "POST /register-worker";
        WorkerRegistrationDoc doc = new WorkerRegistrationDoc(registration.secret().reveal(), registration.platform(),
                registration.supportedTaskTypes(), registration.nickname());
        Optional<Secret> token = RegistrationToken.mint(registration.registrationSecret(), clock.now());
        Request.Builder request = new Request.Builder().url(url("register-worker"))
                .post(jsonBody(doc)).tag(AuthMode.class, AuthMode.NONE);
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t.reveal()));
        WorkerRegistrationDoc masked = new WorkerRegistrationDoc(Secret.MASK, doc.platform(),
                doc.supportedTaskTypes(), doc.nickname());
        registrationSecrets = List.of(registration.secret(), registration.registrationSecret(),
                token.orElse(Secret.empty()));
        Scrubber scrub = scrubber();
        Reply reply = execute(endpoint, request.build(), postClient, masked, scrub);
        requireSuccess(endpoint, reply);
        try {
            return replies.workerId(reply.body());
        } catch (UnusableReplyException e) {
            throw badReply(endpoint, reply, e);
        }
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
        Reply reply = execute(endpoint, emptyPost(url("task")), postClient, null, scrubber());
        try {
            if (reply.status() == 204) {
                return new FetchResult.NoTask();
            }
            if (reply.status() == 423) {
                return new FetchResult.StatusChangeRequested(V2Statuses.requested(replies.statusRequested(reply.body())));
            }
            requireSuccess(endpoint, reply);
            return new FetchResult.Assigned(replies.task(reply.body()));
        } catch (UnusableReplyException e) {
            throw badReply(endpoint, reply, e);
        }
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
        Reply reply = execute(endpoint, get(url("may-i-run", taskId)), getClient, null, scrubber());
        requireSuccess(endpoint, reply);
        try {
            WireReplies.MayKeepRunningDoc doc = replies.mayKeepRunning(reply.body());
            Optional<WorkerStatus> requested = doc.statusRequested().isEmpty() ? Optional.empty()
                    : Optional.of(V2Statuses.requested(doc.statusRequested()));
            return new MayKeepRunning(doc.mayKeepRunning(), doc.reason(), requested.isPresent(), requested);
        } catch (UnusableReplyException e) {
            throw badReply(endpoint, reply, e);
        }
    }

    @Override
    public Optional<WorkerStatus> statusChange() throws ManagerException {
        String endpoint = "GET /status-change";
        Reply reply = execute(endpoint, get(url("status-change")), getClient, null, scrubber());
        if (reply.status() == 204) {
            return Optional.empty();
        }
        requireSuccess(endpoint, reply);
        try {
            return Optional.of(V2Statuses.requested(replies.statusRequested(reply.body())));
        } catch (UnusableReplyException e) {
            throw badReply(endpoint, reply, e);
        }
    }

    @Override
    public void ackStatusChange(WorkerStatus status) throws ManagerException {
        String wire = V2Statuses.wire(status);
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

    /** Drops idle pooled connections; the client can still be used afterwards. */
    @Override
    public void close() {
        postClient.connectionPool().evictAll();
    }

    private void postExpectingSuccess(String endpoint, HttpUrl url, RequestBody body, Object docForLog)
            throws ManagerException {
        Request request = body == null ? emptyPost(url) : new Request.Builder().url(url).post(body).build();
        requireSuccess(endpoint, execute(endpoint, request, postClient, docForLog, scrubber()));
    }

    /**
     * Runs one exchange; always closes the response; maps I/O failures to {@code NETWORK}.
     *
     * @param docForLog the request document, serialised for the debug log only when debug logging is on (a task
     *                  update can carry a megabyte of log text)
     */
    private Reply execute(String endpoint, Request request, OkHttpClient client, Object docForLog, Scrubber scrub)
            throws ManagerException {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {}{}", request.method(), request.url(),
                    docForLog == null ? "" : " " + abbreviate(scrub.apply(write(docForLog))));
        }
        long started = clock.nanoTime();
        Reply reply;
        try (Response response = client.newCall(request).execute()) {
            reply = new Reply(response.code(), response.body().string(), scrub);
        } catch (IOException e) {
            LOG.debug("{} failed: {}", endpoint, scrub.apply(String.valueOf(e.getMessage())));
            observe(endpoint, 0, started);
            throw ManagerException.network(endpoint, e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            observe(endpoint, 0, started);
            // OkHttp (Kotlin) can throw an undeclared InterruptedException; keep the interrupt visible to the caller.
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw ManagerException.network(endpoint, e);
        }
        LOG.debug("{} answered {} in {} ms", endpoint, reply.status(),
                TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - started));
        observe(endpoint, reply.status(), started);
        if (V2Outcomes.signalsReachable(reply.status())) {
            fireReachable();
        }
        return reply;
    }

    private void observe(String endpoint, int status, long startedNanos) {
        if (requestObservers.isEmpty()) {
            return;
        }
        String template = ID_SEGMENT.matcher(endpoint).replaceFirst("$1{id}");
        long nanos = clock.nanoTime() - startedNanos;
        for (RequestObserver observer : requestObservers) {
            observer.requestEnded(template, status, nanos);
        }
    }

    private static void requireSuccess(String endpoint, Reply reply) throws ManagerException {
        if (reply.status() < 200 || reply.status() > 299) {
            throw ManagerException.http(endpoint, reply.status(), V2Outcomes.of(reply.status()),
                    reply.safe(reply.body()));
        }
    }

    private static ManagerException badReply(String endpoint, Reply reply, UnusableReplyException e) {
        return ManagerException.badReply(endpoint, reply.status(), reply.safe(e.getMessage()));
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

    private HttpUrl url(String... segments) {
        HttpUrl.Builder b = base.newBuilder();
        for (String s : segments) {
            b.addPathSegment(s);
        }
        return b.build();
    }

    private static Request emptyPost(HttpUrl url) {
        return new Request.Builder().url(url).post(RequestBody.create(new byte[0], null)).build();
    }

    private static Request get(HttpUrl url) {
        return new Request.Builder().url(url).get().build();
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
        for (Secret s : registrationSecrets) {
            values.add(s.reveal());
            values.add(s.reveal().strip());
        }
        return new Scrubber(values);
    }

    private static String abbreviate(String s) {
        return s.length() <= LOG_BODY_CHARS ? s : s.substring(0, LOG_BODY_CHARS) + "…";
    }

    private static HttpUrl parseBase(String baseUrl) {
        HttpUrl base = ManagerHttpClient.base(baseUrl);
        HttpUrl parsed = HttpUrl.parse(baseUrl.strip());
        if (!parsed.username().isEmpty() || !parsed.password().isEmpty()) {
            LOG.warn("Ignoring user info in the Manager URL; the worker authenticates with its own credentials");
        }
        return base;
    }

    /** A complete answer; {@code body} is raw (parsed as is), {@link #safe} scrubs text meant for humans. */
    private record Reply(int status, String body, Scrubber scrub) {
        String safe(String text) {
            return scrub.apply(text);
        }
    }
}
