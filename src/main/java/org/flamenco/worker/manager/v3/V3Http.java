package org.flamenco.worker.manager.v3;

import java.util.List;

import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

import org.flamenco.worker.manager.v2.ManagerHttpClient;
import org.flamenco.worker.manager.v2.V2Settings;

/**
 * The HTTP set-up of the Flamenco 3 client: v2's client ({@link ManagerHttpClient}: timeouts, no redirects, no
 * automatic retries, {@code TCP_NODELAY}, TLS with {@code manager_ca_file}) with v3's {@code Retry-After} handling,
 * and the base URL with its path prefix kept.
 */
final class V3Http {

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
        return ManagerHttpClient.build(settings, headers, new RetryAfterStash());
    }
}
