package org.flamenco.worker.manager.v3;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flamenco.worker.clock.Backoff;
import org.flamenco.worker.clock.Clock;
import org.flamenco.worker.manager.ManagerProtocol;
import org.flamenco.worker.manager.v2.AuthMode;
import org.flamenco.worker.manager.v2.HeaderInterceptor;
import org.flamenco.worker.manager.v2.ManagerHttpClient;
import org.flamenco.worker.manager.v2.V2Settings;

/**
 * {@code manager_protocol = auto} (protocol-v3.md §8): {@code GET <base>/api/v3/version} decides once per process.
 * A 200 JSON object with a {@code version} string means Flamenco 3; any other HTTP answer below 500 means v2; no
 * answer (network error, timeout) or a 5xx decides nothing, and the probe is repeated with the start-up backoff, as
 * registration is while the Manager is unreachable. Blocks the calling thread; ends early only by interruption.
 */
public final class ProtocolProbe {
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolProbe.class);

    private final V2Settings settings;
    private final Clock clock;
    private final DoubleSupplier random;
    private final Backoff backoff;
    private final V3Replies replies = new V3Replies(new ObjectMapper());

    public ProtocolProbe(V2Settings settings, Clock clock, DoubleSupplier random, Backoff backoff) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
    }

    /** Asks until the Manager's answer decides; logs the outcome once at INFO. */
    public ManagerProtocol await() throws InterruptedException {
        OkHttpClient client = ManagerHttpClient.build(settings, new HeaderInterceptor(settings.userAgent()));
        HttpUrl url = ManagerHttpClient.base(settings.baseUrl()).newBuilder().addPathSegments("api/v3/version").build();
        try {
            int attempt = 0;
            while (true) {
                Optional<ManagerProtocol> found = once(client, url, attempt > 0);
                if (found.isPresent()) {
                    return found.get();
                }
                attempt++;
                Duration delay = backoff.delay(attempt, random);
                LOG.debug("Next protocol probe in {} ms", delay.toMillis());
                clock.sleep(delay);
            }
        } finally {
            client.connectionPool().evictAll();
        }
    }

    /** One question without retry (for {@code doctor}): the protocol, or empty when the answer decides nothing. */
    public Optional<ManagerProtocol> askOnce() {
        OkHttpClient client = ManagerHttpClient.build(settings, new HeaderInterceptor(settings.userAgent()));
        try {
            return once(client,
                    ManagerHttpClient.base(settings.baseUrl()).newBuilder().addPathSegments("api/v3/version").build(),
                    false);
        } finally {
            client.connectionPool().evictAll();
        }
    }

    /**
     * SSDP's confirmation of a Flamenco 3 address (protocol-v3.md §9): one {@code GET /api/v3/version} without retry,
     * true only for a version document. Quiet (DEBUG): an address that does not answer is normal for a Manager that
     * advertises several.
     */
    public static boolean confirmsFlamenco3(V2Settings settings) {
        OkHttpClient client = ManagerHttpClient.build(settings, new HeaderInterceptor(settings.userAgent()));
        HttpUrl url = ManagerHttpClient.base(settings.baseUrl()).newBuilder().addPathSegments("api/v3/version").build();
        Request request = new Request.Builder().url(url).get()
                .tag(AuthMode.class, AuthMode.NONE).build();
        try (Response response = client.newCall(request).execute()) {
            boolean confirmed = response.code() == 200
                    && new V3Replies(new ObjectMapper()).isVersionDocument(response.body().string());
            LOG.debug("GET {} (SSDP answer) -> HTTP {}: {}", url, response.code(), confirmed ? "Flamenco 3" : "no");
            return confirmed;
        } catch (IOException e) {
            LOG.debug("GET {} (SSDP answer) failed: {}", url, e.toString());
            return false;
        } finally {
            client.connectionPool().evictAll();
        }
    }

    /** One probe: the protocol, or empty when the answer decides nothing ({@code quiet}: a repeat, logged at DEBUG). */
    private Optional<ManagerProtocol> once(OkHttpClient client, HttpUrl url, boolean quiet) {
        Request request = new Request.Builder().url(url).get()
                .tag(AuthMode.class, AuthMode.NONE).build();
        int status;
        boolean versionDocument;
        try (Response response = client.newCall(request).execute()) {
            status = response.code();
            versionDocument = status == 200 && replies.isVersionDocument(response.body().string());
        } catch (IOException e) {
            undecided(quiet, "GET " + url + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return Optional.empty();
        }
        if (versionDocument) {
            LOG.info("Manager at {} speaks Flamenco 3 (GET /api/v3/version answered); using protocol v3", url);
            return Optional.of(ManagerProtocol.V3);
        }
        if (status < 500) {
            LOG.info("Manager answered GET {} with HTTP {}: a Flamenco 2 Manager; using protocol v2", url, status);
            return Optional.of(ManagerProtocol.V2);
        }
        undecided(quiet, "GET " + url + " answered HTTP " + status);
        return Optional.empty();
    }

    private static void undecided(boolean quiet, String why) {
        if (quiet) {
            LOG.debug("Still cannot tell the Manager's protocol ({})", why);
        } else {
            LOG.warn("Cannot tell the Manager's protocol yet ({}); manager_protocol = auto asks again with backoff",
                    why);
        }
    }
}
