package org.flamenco.worker.manager.v2;

import java.io.IOException;

import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Drops a {@code Retry-After} header before OkHttp's own retry logic reads it. OkHttp parses the header of a 408 or
 * 503 reply as an {@code int} and throws {@link NumberFormatException} for a larger number, which would escape the
 * call as an unchecked exception (and end the update sender's thread). The worker does not use {@code Retry-After}:
 * its own backoff decides when to try again (README "How it works"), and without the header OkHttp does not retry a
 * 503 by itself either.
 */
final class RetryAfterGuard implements Interceptor {
    @Override
    public Response intercept(Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        if (response.header("Retry-After") == null) {
            return response;
        }
        return response.newBuilder().removeHeader("Retry-After").build();
    }
}
