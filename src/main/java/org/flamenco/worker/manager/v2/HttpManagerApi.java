package org.flamenco.worker.manager.v2;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

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
import org.flamenco.worker.manager.ManagerApi;
import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.manager.RequestObserver;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;

/**
 * What the two protocol clients ({@link V2ManagerApi}, {@code manager.v3.V3ManagerApi}) do alike on OkHttp + Jackson:
 * the base URL and the endpoint URLs below it, the credentials for Basic auth ({@link HeaderInterceptor}), two
 * OkHttp clients over one pool (a GET may be retried once after a stale pooled connection, a POST never), one
 * exchange with its debug log and its timing for the {@link RequestObserver}s, the reachable-listeners, and
 * scrubbing the secrets from every reply text. A subclass adds the endpoints and two facts of its protocol: which
 * answers show that the Manager is reachable, and how an endpoint becomes a monitoring label.
 *
 * <p>Thread-safe; an exchange blocks for at most connect + read timeout. An I/O failure or an interrupted call ends as
 * a {@code NETWORK} failure, the latter with the thread's interrupt flag set.
 */
public abstract class HttpManagerApi implements ManagerApi, AutoCloseable {
    private static final int LOG_BODY_CHARS = 500;

    /** Named after the protocol client (the subclass), as its log lines always were. */
    private final Logger log = LoggerFactory.getLogger(getClass());
    private final HttpUrl base;
    private final List<String> apiPath;
    private final MediaType jsonType;
    private final Clock clock;
    private final ObjectMapper json;
    private final HeaderInterceptor headers;
    private final OkHttpClient postClient;
    private final OkHttpClient getClient;
    private final List<Runnable> reachableListeners = new CopyOnWriteArrayList<>();
    private final List<RequestObserver> requestObservers = new CopyOnWriteArrayList<>();
    /** Secrets of the latest registration, kept only to scrub them from later reply texts. */
    private volatile List<Secret> registrationSecrets = List.of();

    /**
     * @param apiPath  the path segments between the base URL and every endpoint ({@code api/v3/worker}, or none)
     * @param jsonType the {@code Content-Type} of a JSON body
     * @throws IllegalArgumentException the base URL is not an http(s) URL, or the CA file cannot be used (message
     *                                  names the file and the reason)
     */
    protected HttpManagerApi(V2Settings settings, List<String> apiPath, MediaType jsonType, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.base = ManagerHttpClient.base(settings.baseUrl());
        this.apiPath = List.copyOf(apiPath);
        this.jsonType = Objects.requireNonNull(jsonType, "jsonType");
        this.json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        this.headers = new HeaderInterceptor(settings.userAgent());
        this.postClient = ManagerHttpClient.build(settings, headers);
        this.getClient = postClient.newBuilder().retryOnConnectionFailure(true).build();
    }

    @Override
    public final String baseUrl() {
        return base.toString();
    }

    @Override
    public final void useCredentials(Credentials credentials) {
        headers.use(credentials);
    }

    /** Runs {@code listener} after every answer for which {@link #signalsReachable} is true. */
    @Override
    public final void onReachable(Runnable listener) {
        reachableListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** From now on {@code observer} is told about every request as it ends (monitoring). */
    public final void observeRequests(RequestObserver observer) {
        requestObservers.add(Objects.requireNonNull(observer, "observer"));
    }

    /** Drops idle pooled connections; the client can still be used afterwards. */
    @Override
    public final void close() {
        postClient.connectionPool().evictAll();
    }

    /** Whether an answer with {@code status} shows that the Manager is reachable and not too busy. */
    protected abstract boolean signalsReachable(int status);

    /** {@code endpoint} with its ids replaced by {@code {id}}, for the request observers. */
    protected abstract String endpointLabel(String endpoint);

    protected final Clock clock() {
        return clock;
    }

    /** The mapper for reply readers: unknown properties are ignored. */
    protected final ObjectMapper json() {
        return json;
    }

    /** Scrubs {@code secrets} (and each one stripped) from reply texts from now on. */
    protected final void scrubRegistrationSecrets(List<Secret> secrets) {
        registrationSecrets = List.copyOf(secrets);
    }

    /** The endpoint URL: the base URL, the API path, then {@code segments}. */
    protected final HttpUrl url(String... segments) {
        HttpUrl.Builder b = base.newBuilder();
        for (String s : apiPath) {
            b.addPathSegment(s);
        }
        for (String s : segments) {
            b.addPathSegment(s);
        }
        return b.build();
    }

    protected static Request emptyPost(HttpUrl url) {
        return new Request.Builder().url(url).post(RequestBody.create(new byte[0], null)).build();
    }

    protected static Request get(HttpUrl url) {
        return new Request.Builder().url(url).get().build();
    }

    protected final Request jsonPost(HttpUrl url, Object doc) {
        return new Request.Builder().url(url).post(jsonBody(doc)).build();
    }

    protected final RequestBody jsonBody(Object doc) {
        try {
            return RequestBody.create(json.writeValueAsBytes(doc), jsonType);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + doc.getClass().getSimpleName(), e);
        }
    }

    /**
     * Runs one exchange (a GET on the client that may retry it once, anything else on the one that never retries);
     * always closes the response; maps I/O failures to {@code NETWORK}.
     *
     * @param docForLog the request document, serialised for the debug log only when debug logging is on (a task
     *                  update can carry a megabyte of log text); null for none
     */
    protected final ManagerReply call(String endpoint, Request request, Object docForLog) throws ManagerException {
        Scrubber scrub = scrubber();
        if (log.isDebugEnabled()) {
            log.debug("{} {}{}", request.method(), request.url(),
                    docForLog == null ? "" : " " + abbreviate(scrub.apply(write(docForLog))));
        }
        OkHttpClient client = "GET".equals(request.method()) ? getClient : postClient;
        long started = clock.nanoTime();
        ManagerReply reply;
        try (Response response = client.newCall(request).execute()) {
            reply = new ManagerReply(response.code(), response.body().string(),
                    RetryAfter.parse(response.header(RetryAfterStash.HEADER), clock.now()), scrub);
        } catch (IOException e) {
            log.debug("{} failed: {}", endpoint, scrub.apply(String.valueOf(e.getMessage())));
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
        log.debug("{} answered {} in {} ms", endpoint, reply.status(),
                TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - started));
        observe(endpoint, reply.status(), started);
        if (signalsReachable(reply.status())) {
            fireReachable();
        }
        return reply;
    }

    private void observe(String endpoint, int status, long startedNanos) {
        if (requestObservers.isEmpty()) {
            return;
        }
        String label = endpointLabel(endpoint);
        long nanos = clock.nanoTime() - startedNanos;
        for (RequestObserver observer : requestObservers) {
            observer.requestEnded(label, status, nanos);
        }
    }

    private void fireReachable() {
        for (Runnable listener : reachableListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.warn("A reachable-listener failed; ignoring", e);
            }
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

    private String write(Object doc) {
        try {
            return json.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + doc.getClass().getSimpleName(), e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= LOG_BODY_CHARS ? s : s.substring(0, LOG_BODY_CHARS) + "…";
    }
}
