package org.flamenco.worker.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.flamenco.worker.manager.ManagerApi;
import org.flamenco.worker.model.BuildInfo;
import org.flamenco.worker.model.Credentials;

/**
 * A {@link MockWebServer} on loopback and a Manager client of either protocol pointed at its root, signed in with
 * fixed credentials; both are made with the test instance and closed after each test. Register it as an instance
 * field with {@code @RegisterExtension}; the fields after it can take {@link #server()} and {@link #api()}.
 */
public final class ManagerClientFixture<A extends ManagerApi & AutoCloseable> implements AfterEachCallback {
    private final MockWebServer server = new MockWebServer();
    private final Credentials credentials;
    private final A api;

    /** @param newApi makes the client for a base URL (the test's settings) */
    public ManagerClientFixture(Function<String, A> newApi, Credentials credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        try {
            server.start();
            api = newApi.apply(server.url("/").toString());
        } catch (IOException e) {
            server.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        api.useCredentials(credentials);
    }

    public MockWebServer server() {
        return server;
    }

    public A api() {
        return api;
    }

    /** The next request the server received, waiting up to 5 s for it. */
    public RecordedRequest take() throws InterruptedException {
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).as("request reached the server").isNotNull();
        return r;
    }

    /** Pre-emptive Basic auth with the fixture's credentials, and the worker's {@code User-Agent}. */
    public void assertBasicAuthAndAgent(RecordedRequest r) {
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                (credentials.workerId() + ":" + credentials.secret().reveal()).getBytes(StandardCharsets.UTF_8));
        assertThat(r.getHeaders().get("Authorization")).isEqualTo(expected);
        assertThat(r.getHeaders().get("User-Agent")).isEqualTo(BuildInfo.userAgent()).startsWith("Flamenco-Worker/");
    }

    /** A POST to {@code path} without a body ({@code Content-Length: 0}, no {@code Content-Type}), authenticated. */
    public void assertEmptyPost(RecordedRequest r, String path) {
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getUrl().encodedPath()).isEqualTo(path);
        assertThat(r.getHeaders().get("Content-Length")).isEqualTo("0");
        assertThat(r.getHeaders().get("Content-Type")).isNull();
        assertThat(r.getBodySize()).isZero();
        assertBasicAuthAndAgent(r);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            api.close();
        } finally {
            server.close();
        }
    }
}
