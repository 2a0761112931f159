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
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * The HTTP client set-up both protocols share (protocol-v2.md §1.3, §1.4): connect/read timeouts and a call limit, no
 * redirects, no automatic retries, {@code TCP_NODELAY}, a small keep-alive pool, TLS trusting {@code manager_ca_file}
 * (host names verified); a plain-HTTP Manager gets no TLS set-up at all.
 */
public final class ManagerHttpClient {
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(30);

    private ManagerHttpClient() {
    }

    /**
     * @param headers the protocol's application interceptor (User-Agent, auth)
     * @param network the protocol's network interceptor (how a {@code Retry-After} is kept from OkHttp's own retries)
     * @throws IllegalArgumentException when {@code manager_ca_file} cannot be used
     */
    public static OkHttpClient build(V2Settings settings, Interceptor headers, Interceptor network) {
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
                .addNetworkInterceptor(network);
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
