package org.flamenco.worker.manager.v2;

import java.io.IOException;

import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Moves {@code Retry-After} out of OkHttp's sight into {@link #HEADER}, for both protocols. OkHttp would retry a 503
 * whose {@code Retry-After} is 0 on its own (also a POST, which the worker never wants: a repeated
 * {@code /worker/task} could be handed a second task) and parses the header of a 408 or 503 as an {@code int},
 * throwing {@link NumberFormatException} for a larger number, which would escape the call as an unchecked exception
 * (and end the update sender's thread). {@link HttpManagerApi} reads it from {@link #HEADER} into
 * {@link ManagerReply#retryAfter()}; the v2 client ignores the value: its own backoff decides when to try again
 * (README "How it works"). The v3 client hands it to the caller, whose backoff treats it as a floor
 * (protocol-v3.md §11).
 */
public final class RetryAfterStash implements Interceptor {
    /** Where the Manager's {@code Retry-After} value is kept on the response. */
    public static final String HEADER = "X-Flamenco-Worker-Retry-After";

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
