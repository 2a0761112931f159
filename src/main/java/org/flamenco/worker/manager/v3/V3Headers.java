package org.flamenco.worker.manager.v3;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

import org.flamenco.worker.model.Credentials;

/**
 * Headers of every Flamenco 3 request (protocol-v3.md §1): {@code User-Agent}, and pre-emptive Basic auth (user =
 * worker UUID, password = the worker's secret) unless the request is tagged {@link Anonymous} (registration and the
 * version probe). Credentials are swapped atomically by {@link #use(Credentials)}; each request reads them once.
 */
final class V3Headers implements Interceptor {
    /** Tag for requests that must not carry {@code Authorization}. */
    enum Anonymous { YES }

    private final String userAgent;
    private volatile Credentials credentials;

    V3Headers(String userAgent) {
        this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
    }

    void use(Credentials newCredentials) {
        this.credentials = Objects.requireNonNull(newCredentials, "credentials");
    }

    /** The current Basic header value, or null (used to scrub reply text). */
    String basicValue() {
        Credentials c = credentials;
        return c == null ? null : basic(c);
    }

    /** The current secret, or null (used to scrub reply text). */
    String secretValue() {
        Credentials c = credentials;
        return c == null ? null : c.secret().reveal();
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        Request.Builder builder = request.newBuilder().header("User-Agent", userAgent);
        Credentials c = credentials;
        if (request.tag(Anonymous.class) == null && c != null && c.isComplete()) {
            builder.header("Authorization", basic(c));
        }
        return chain.proceed(builder.build());
    }

    private static String basic(Credentials c) {
        return okhttp3.Credentials.basic(c.workerId(), c.secret().reveal(), StandardCharsets.UTF_8);
    }
}
