package org.flamenco.worker.manager.v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import org.flamenco.worker.manager.ManagerException;
import org.flamenco.worker.manager.Registration;
import org.flamenco.worker.model.Credentials;
import org.flamenco.worker.model.Secret;

/**
 * The worker secret, the registration secret, the token and Authorization values never show up in DEBUG logs or
 * exception messages (worker-behaviour.md §18), even when the Manager echoes them back.
 */
@Timeout(20)
class SecretsNeverLeakTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String WORKER_SECRET = "WorkerSecretWorkerSecretWorkerSecretWorkerSecretWorkerSecret1234";
    private static final String NEW_SECRET = "NewSecretNewSecretNewSecretNewSecretNewSecretNewSecretNewSecret1";
    private static final String REG_SECRET = "registration-psk";

    private final MockWebServer server = new MockWebServer();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private Level previousLevel;
    private final List<String> texts = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        previousLevel = root.getLevel();
        root.setLevel(Level.DEBUG);
        logs.start();
        root.addAppender(logs);
        server.start();
    }

    @AfterEach
    void stop() {
        root.detachAppender(logs);
        root.setLevel(previousLevel);
        server.close();
    }

    @Test
    void secretsAreAbsentFromDebugLogsAndExceptionMessages() throws Exception {
        String basic = Base64.getEncoder().encodeToString(("5c8f0a9b1d2e3f4a5b6c7d8e:" + WORKER_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        String token = RegistrationToken.mint(Secret.of(REG_SECRET), NOW).orElseThrow().reveal();
        // A misbehaving proxy that echoes whatever it received.
        String echo = "echo " + WORKER_SECRET + " " + NEW_SECRET + " " + REG_SECRET + " Basic " + basic
                + " Bearer " + token;
        server.enqueue(new MockResponse.Builder().code(403).body(echo).build());
        server.enqueue(new MockResponse.Builder().code(200).body("{\"_id\":\"" + NEW_SECRET + "\"}").build());
        server.enqueue(new MockResponse.Builder().code(400).body(echo).build());
        server.enqueue(new MockResponse.Builder().code(200).body(echo).build());
        server.enqueue(new MockResponse.Builder().code(204).headersDelay(2, TimeUnit.SECONDS).build());
        V2Settings settings = V2Settings.defaults(server.url("/").toString())
                .withTimeouts(Duration.ofMillis(500), Duration.ofMillis(300));

        try (V2ManagerApi api = new V2ManagerApi(settings, new TestClock(NOW))) {
            api.useCredentials(new Credentials("5c8f0a9b1d2e3f4a5b6c7d8e", Secret.of(WORKER_SECRET)));
            Registration reg = new Registration(Secret.of(NEW_SECRET), "linux", List.of("sleep"), "node",
                    Secret.of(REG_SECRET));
            capture(() -> api.register(reg));
            capture(() -> api.register(reg));
            capture(() -> api.signOn(List.of("sleep"), "node"));
            capture(() -> api.mayIRun("0123456789abcdef01234567"));
            capture(api::fetchTask);
        }

        logs.list.forEach(e -> texts.add(e.getFormattedMessage()));
        assertThat(texts).isNotEmpty().anySatisfy(t -> assertThat(t).contains("register-worker"));
        assertThat(texts).hasSizeGreaterThan(8);
        for (String text : texts) {
            assertThat(text).doesNotContain(WORKER_SECRET, NEW_SECRET, REG_SECRET, basic, token);
        }
    }

    @Test
    void taskContentEqualToASecretIsParsedUnchanged() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body("{\"_id\":\"0123456789abcdef01234567\","
                + "\"name\":\"" + WORKER_SECRET + "\"}").build());
        V2Settings settings = V2Settings.defaults(server.url("/").toString());

        org.flamenco.worker.model.Task task;
        try (V2ManagerApi api = new V2ManagerApi(settings, new TestClock(NOW))) {
            api.useCredentials(new Credentials("5c8f0a9b1d2e3f4a5b6c7d8e", Secret.of(WORKER_SECRET)));
            task = ((org.flamenco.worker.manager.FetchResult.Assigned) api.fetchTask()).task();
        }

        assertThat(task.name()).isEqualTo(WORKER_SECRET);
    }

    private void capture(ThrowingCall call) {
        try {
            call.run();
        } catch (ManagerException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                texts.add(String.valueOf(t.getMessage()));
                texts.add(t.toString());
            }
        }
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws ManagerException;
    }
}
