package org.flamenco.worker.manager.v2;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

import org.flamenco.worker.model.Credentials;

/**
 * Adds the headers every request of either protocol carries (protocol-v2.md §1.2, protocol-v3.md §1):
 * {@code User-Agent}, and pre-emptive Basic auth (user = worker id, password = the worker's secret) unless the
 * request is tagged {@link AuthMode#NONE}. Credentials are swapped atomically by {@link #use(Credentials)}; each
 * request reads them once.
 */
public final class HeaderInterceptor implements Interceptor {
    private final String userAgent;
    private volatile Credentials credentials;

    public HeaderInterceptor(String userAgent) {
        this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
    }

    public void use(Credentials newCredentials) {
        this.credentials = Objects.requireNonNull(newCredentials, "credentials");
    }

    /** The current Basic header value, or null when no credentials are set (used to scrub reply text). */
    public String basicValue() {
        Credentials c = credentials;
        return c == null ? null : basic(c);
    }

    /** The current secret, or null (used to scrub reply text). */
    public String secretValue() {
        Credentials c = credentials;
        return c == null ? null : c.secret().reveal();
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        Request.Builder builder = request.newBuilder().header("User-Agent", userAgent);
        Credentials c = credentials;
        if (request.tag(AuthMode.class) != AuthMode.NONE && c != null && c.isComplete()) {
            builder.header("Authorization", basic(c));
        }
        return chain.proceed(builder.build());
    }

    private static String basic(Credentials c) {
        return okhttp3.Credentials.basic(c.workerId(), c.secret().reveal(), StandardCharsets.UTF_8);
    }
}
