package org.flamenco.worker.manager.v3;

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
import okhttp3.OkHttpClient;

import org.flamenco.worker.manager.v2.ManagerTrust;
import org.flamenco.worker.manager.v2.NoDelaySocketFactory;
import org.flamenco.worker.manager.v2.V2Settings;

/**
 * The HTTP set-up of the Flamenco 3 client, the same as v2's (protocol-v2.md §1.3, §1.4): timeouts, no redirects, no
 * automatic retries, {@code TCP_NODELAY}, TLS with {@code manager_ca_file} and host-name checks, and the base URL
 * with its path prefix kept.
 */
final class V3Http {
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(30);

    private V3Http() {
    }

    static HttpUrl base(String baseUrl) {
        HttpUrl parsed = HttpUrl.parse(baseUrl.strip());
        if (parsed == null) {
            throw new IllegalArgumentException("Manager URL is not an http:// or https:// URL: " + baseUrl);
        }
        HttpUrl.Builder b = parsed.newBuilder().username("").password("").query(null).fragment(null);
        List<String> segments = parsed.pathSegments();
        if (segments.size() > 1 && segments.get(segments.size() - 1).isEmpty()) {
            b.removePathSegment(segments.size() - 1);
        } else if (segments.size() == 1 && segments.get(0).isEmpty()) {
            b.encodedPath("/");
        }
        return b.build();
    }

    static OkHttpClient client(V2Settings settings, V3Headers headers) {
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
