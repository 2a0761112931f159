package org.flamenco.worker.manager.v3;

import java.io.IOException;

import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Moves {@code Retry-After} out of OkHttp's sight into {@link #HEADER}. OkHttp would retry a 503 whose
 * {@code Retry-After} is 0 on its own (also a POST, which the worker never wants: a repeated {@code /worker/task}
 * could be handed a second task) and throws on a number too large for an {@code int}. The client reads the value from
 * {@link #HEADER} and hands it to the caller, whose backoff treats it as a floor (protocol-v3.md §11).
 */
final class RetryAfterStash implements Interceptor {
    static final String HEADER = "X-Flamenco-Worker-Retry-After";

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        String value = response.header("Retry-After");
        if (value == null) {
            return response;
        }
        return response.newBuilder().removeHeader("Retry-After").header(HEADER, value).build();
    }
}
