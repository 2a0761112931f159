package org.flamenco.worker.manager.v2;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * The HTTP client set-up both protocols share (protocol-v2.md §1.3, §1.4): connect/read timeouts and a call limit, no
 * redirects, no automatic retries (also none on a {@code Retry-After}), {@code TCP_NODELAY}, a small keep-alive pool,
 * TLS trusting {@code manager_ca_file} (host names verified); a plain-HTTP Manager gets no TLS set-up at all.
 */
public final class ManagerHttpClient {
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(30);

    private ManagerHttpClient() {
    }

    /**
     * The Manager's base URL as both protocols append to it: user info, query and fragment dropped, a path prefix kept
     * without its trailing {@code /} (so that appended segments give {@code <prefix>/task}).
     *
     * @throws IllegalArgumentException when it is not an http:// or https:// URL
     */
    public static HttpUrl base(String baseUrl) {
        HttpUrl parsed = HttpUrl.parse(baseUrl.strip());
        if (parsed == null) {
            throw new IllegalArgumentException("Manager URL is not an http:// or https:// URL: " + baseUrl);
        }
        HttpUrl.Builder b = parsed.newBuilder().username("").password("").query(null).fragment(null);
        List<String> segments = parsed.pathSegments();
        if (segments.size() > 1 && segments.get(segments.size() - 1).isEmpty()) {
            b.removePathSegment(segments.size() - 1);
        }
        return b.build();
    }

    /**
     * A {@code Retry-After} of the Manager is moved out of OkHttp's sight ({@link RetryAfterStash}).
     *
     * @param headers the protocol's application interceptor (User-Agent, auth)
     * @throws IllegalArgumentException when {@code manager_ca_file} cannot be used
     */
    public static OkHttpClient build(V2Settings settings, Interceptor headers) {
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .writeTimeout(settings.readTimeout())
                .callTimeout(settings.connectTimeout().plus(settings.readTimeout()))
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false)
                .socketFactory(new NoDelaySocketFactory())
                .connectionPool(new ConnectionPool(5, KEEP_ALIVE.toSeconds(), TimeUnit.SECONDS))
                .addInterceptor(headers)
                .addNetworkInterceptor(new RetryAfterStash());
        if (settings.caFile() == null && settings.baseUrl().regionMatches(true, 0, "http:", 0, 5)) {
            // A plain-HTTP Manager (redirects are not followed): no TLS set-up, which would parse the system's CA
            // store and load a few hundred classes at every start (issue 24).
            return b.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT)).build();
        }
        try {
            X509TrustManager trust = ManagerTrust.create(settings.caFile());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new X509TrustManager[] {trust}, null);
            b.sslSocketFactory(tls.getSocketFactory(), trust);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("manager_ca_file " + settings.caFile() + " cannot be used: "
                    + e.getMessage(), e);
        }
        return b.build();
    }
}
